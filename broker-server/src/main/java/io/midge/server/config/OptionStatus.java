package io.midge.server.config;

/** What Midge does with an option it recognises, as the configuration reference shows it. */
enum OptionStatus {
    /** Honoured with mosquitto 2.0's meaning. */
    SUPPORTED("supported"),
    /** Honoured; an option of Midge's own that mosquitto does not have. */
    SUPPORTED_MIDGE_ONLY("Midge only"),
    /** Validated, then ignored with a {@code Warning:} line naming it. */
    ACCEPTED_IGNORED_WARNING("ignored, warns"),
    /** Validated and ignored without a word, because Midge already behaves as it asks. */
    ACCEPTED_SILENT("ignored silently"),
    /** Recognised, and the broker refuses to start with it. */
    REFUSED("refused");

    private final String label;

    OptionStatus(String label) {
        this.label = label;
    }

    /** The words the configuration reference prints. */
    String label() {
        return label;
    }
}
