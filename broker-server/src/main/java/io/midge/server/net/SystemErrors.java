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

    /**
     * "Connection refused" out of Netty's "finishConnect(..) failed with error(-111): Connection
     * refused: /127.0.0.1:1883": a failed connect names the address after the error.
     */
    public static String connectFailure(Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        int address = message.lastIndexOf(": /");
        return strerror(new Exception(address < 0 ? message : message.substring(0, address)));
    }
}
