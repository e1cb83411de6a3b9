package io.midge.core.route;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedFilterTest {

    @Test
    void aShareNamesItsGroupAndFilter() {
        assertEquals(new SharedFilter("g", "t"), SharedFilter.parse("$share/g/t"));
        assertEquals(new SharedFilter("consumers", "sensors/+/temp/#"), SharedFilter.parse("$share/consumers/sensors/+/temp/#"));
        assertEquals(new SharedFilter("g", "/"), SharedFilter.parse("$share/g//"), "the filter '/' has two empty levels");
        assertEquals(new SharedFilter("g", "$SYS/#"), SharedFilter.parse("$share/g/$SYS/#"));
        assertEquals(new SharedFilter("$share", "t"), SharedFilter.parse("$share/$share/t"));
    }

    @Test
    void itWritesBackAsTheClientWroteIt() {
        assertEquals("$share/g/a/+/#", SharedFilter.parse("$share/g/a/+/#").subscription());
    }

    @ParameterizedTest
    @ValueSource(strings = {"t", "a/b", "#", "$SYS/#", "$share", "$sharex/g/t", "share/g/t", "$Share/g/t"})
    void otherFiltersAreNoShares(String filter) {
        assertFalse(SharedFilter.isShare(filter));
        assertNull(SharedFilter.parse(filter));
        assertFalse(SharedFilter.isValidShare(filter));
    }

    @ParameterizedTest
    @ValueSource(strings = {"$share/", "$share/g", "$share//t", "$share/g/", "$share/+/t", "$share/#", "$share/#/t",
            "$share/g+/t", "$share/a#/t", "$share/g/a/#/b", "$share/g/a+"})
    void badSharesAreInvalid(String filter) {
        assertTrue(SharedFilter.isShare(filter));
        assertFalse(SharedFilter.isValidShare(filter));
        assertThrows(SharedFilter.InvalidShareException.class, () -> SharedFilter.parse(filter));
    }
}
