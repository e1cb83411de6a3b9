package io.midge.server.net;

/** The operating system's words for a failed socket call, as mosquitto prints them (strerror). */
public final class SystemErrors {

    private SystemErrors() {}

    /**
     * "Address already in use" out of Netty's "bind(..) failed with error(-98): Address already in
     * use": its native transport puts the strerror text last.
     */
    public static String strerror(Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        int colon = message.lastIndexOf(": ");
        return colon < 0 ? message : message.substring(colon + 2);
    }
}
