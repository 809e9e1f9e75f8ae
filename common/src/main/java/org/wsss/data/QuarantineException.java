package org.wsss.data;

/**
 * One input cannot be used (unreadable, inconsistent, unknown label). The ingest job records the image with
 * this reason in its quarantine table and goes on with the rest.
 */
public class QuarantineException extends Exception {
    public QuarantineException(String reason) {
        super(reason);
    }

    public QuarantineException(String reason, Throwable cause) {
        super(reason, cause);
    }

    public String reason() {
        return getMessage();
    }
}
