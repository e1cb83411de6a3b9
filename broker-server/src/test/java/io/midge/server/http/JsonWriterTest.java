package io.midge.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void nestsWithCommasWhereTheyBelong() {
        String json = new JsonWriter().beginObject()
                .field("a", 1)
                .name("list").beginArray().value("x").value(2).beginObject().field("b", true).endObject().endArray()
                .name("empty").beginObject().endObject()
                .field("none", (String) null)
                .endObject().toString();

        assertEquals("{\"a\":1,\"list\":[\"x\",2,{\"b\":true}],\"empty\":{},\"none\":null}", json);
    }

    @Test
    void escapesWhatJsonAndJavaScriptNeedEscaped() {
        String json = new JsonWriter().value("q\"b\\n\n\t\u0001\u2028é").toString();

        assertEquals("\"q\\\"b\\\\n\\n\\t\\u0001\\u2028é\"", json);
    }
}
