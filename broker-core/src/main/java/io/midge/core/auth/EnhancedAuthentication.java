package io.midge.core.auth;

/**
 * MQTT 5 enhanced authentication (section 4.12): a challenge and response exchange in AUTH
 * packets, under a method both sides name (SCRAM, Kerberos, a token scheme...). This is the hook
 * such a method plugs into; Midge brings none of its own. Implementations must be thread-safe;
 * each exchange is used by one connection's loop only.
 */
public interface EnhancedAuthentication {

    /** No method at all: every client naming one is refused with "bad authentication method". */
    EnhancedAuthentication NONE = new EnhancedAuthentication() {
        @Override
        public boolean supports(String method) {
            return false;
        }

        @Override
        public Exchange begin(String clientId, String method) {
            throw new IllegalStateException("no enhanced authentication method " + method);
        }
    };

    boolean supports(String method);

    /** Starts an exchange with a client, for CONNECT or for a re-authentication. */
    Exchange begin(String clientId, String method);

    /** One client's exchange, step by step. */
    interface Exchange {
        /**
         * @param data the authentication data the client sent (in CONNECT, then in each AUTH), or null
         */
        Step step(byte[] data);
    }

    /**
     * Where the exchange stands after a step.
     *
     * @param data authentication data to send back (AUTH 0x18 to go on; CONNACK or AUTH 0x00 on success), or null
     */
    record Step(Outcome outcome, byte[] data) {
        public enum Outcome { CONTINUE, SUCCESS, FAILURE }

        public static Step continueWith(byte[] data) {
            return new Step(Outcome.CONTINUE, data);
        }

        public static Step success(byte[] data) {
            return new Step(Outcome.SUCCESS, data);
        }

        public static Step failure() {
            return new Step(Outcome.FAILURE, null);
        }
    }
}
