package io.midge.core.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A message delivered to a persistent session and acknowledged by its client while its store
 * entry still waited for the writer need never reach the disk: the entry's writes and its
 * removal, gathered in the same batch, cancel out. At high rates to connected clients that is
 * most of them, and the store then writes little more than what is really still owed.
 */
final class AckedBeforeWritten {

    private record EntryKey(String clientId, long messageId) {}

    private AckedBeforeWritten() {}

    /** Replaces with null every write of an entry created and removed within {@code batch}, and its removal. */
    static void cancel(List<StoreOp> batch) {
        Map<EntryKey, int[]> created = null;
        for (int i = 0; i < batch.size(); i++) {
            StoreOp op = batch.get(i);
            if (op instanceof StoreOp.PutOutbound put) {
                EntryKey key = new EntryKey(put.clientId(), put.message().id());
                if (put.newReference()) {
                    if (created == null) {
                        created = new HashMap<>();
                    }
                    created.put(key, new int[] {i});
                } else if (created != null && created.containsKey(key)) {
                    created.put(key, append(created.get(key), i));
                }
            } else if (op instanceof StoreOp.RemoveOutbound remove && created != null) {
                int[] writes = created.remove(new EntryKey(remove.clientId(), remove.messageId()));
                if (writes != null) {
                    for (int index : writes) {
                        batch.set(index, null);
                    }
                    batch.set(i, null);
                }
            } else if (op instanceof StoreOp.RemoveSession) {
                // A removed session's entries are counted by what it held; leave that bookkeeping alone.
                created = null;
            }
        }
    }

    private static int[] append(int[] indexes, int index) {
        int[] longer = java.util.Arrays.copyOf(indexes, indexes.length + 1);
        longer[indexes.length] = index;
        return longer;
    }
}
