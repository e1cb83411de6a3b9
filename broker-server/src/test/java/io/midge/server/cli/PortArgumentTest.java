package io.midge.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PortArgumentTest {

    @ParameterizedTest
    @CsvSource({"1883, 1883", "' 1884', 1884", "1885x, 1885", "+1886, 1886", "65535, 65535", "4294967297, 1"})
    void readsLeadingDigitsAsAtoiDoes(String text, int port) {
        assertEquals(port, PortArgument.parse(text));
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "abc, 0", "65536, 65536", "-5, -5", "'', 0", "99999999999999, 276447231",
        "99999999999999999999999, -1"})
    void refusesWhatIsNotAPortWithMosquittosMessage(String text, int read) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PortArgument.parse(text));

        assertEquals("Error: Invalid port specified (" + read + ").", e.getMessage());
    }
}
