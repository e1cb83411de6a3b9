package io.midge.bench;

/** A run that could not be carried out: the broker refused connections, did not answer, etc. */
final class BenchException extends Exception {
    BenchException(String message) {
        super(message, null, false, false);
    }
}
