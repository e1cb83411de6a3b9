package io.midge.core.store;

import io.midge.core.message.Message;

import java.util.List;

/**
 * Everything a store holds, as read back at start-up.
 *
 * @param highestMessageId the highest message id in use, so new messages get higher ones
 */
public record StoreContents(List<Message> retained, List<StoredSession> sessions, long highestMessageId) {}
