package io.midge.core.store;

import io.midge.core.message.Message;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AckedBeforeWrittenTest {

    private static final Message A = Message.of("a", "x", 2, false);
    private static final Message B = Message.of("b", "y", 1, false);

    @Test
    void anEntryCreatedAndRemovedInOneBatchIsNotWrittenAtAll() {
        StoreOp put = new StoreOp.PutOutbound("c", 1, A, 2, false, 0, false, true);
        StoreOp sent = new StoreOp.PutOutbound("c", 1, A, 2, false, 7, false, false);
        StoreOp other = new StoreOp.PutOutbound("c", 1, B, 1, false, 0, false, true);
        StoreOp done = new StoreOp.RemoveOutbound("c", A.id());
        StoreOp mark = new StoreOp.CommitMark(new StoreCommit());
        List<StoreOp> batch = new ArrayList<>(List.of(put, sent, other, done, mark));

        AckedBeforeWritten.cancel(batch);

        assertEquals(Arrays.asList(null, null, other, null, mark), batch);
    }

    @Test
    void theRemovalOfAnEntryWrittenInAnEarlierBatchStays() {
        StoreOp update = new StoreOp.PutOutbound("c", 1, A, 2, false, 7, true, false);
        StoreOp done = new StoreOp.RemoveOutbound("c", A.id());
        StoreOp otherClient = new StoreOp.PutOutbound("d", 1, A, 2, false, 0, false, true);
        List<StoreOp> batch = new ArrayList<>(List.of(update, otherClient, done));

        AckedBeforeWritten.cancel(batch);

        assertEquals(List.of(update, otherClient, done), batch);
    }
}
