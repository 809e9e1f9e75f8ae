package org.wsss.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@link Wsss#execute} in this JVM and captures what it prints. */
final class CliRun {
    record Result(int exitCode, String out, String err) {
    }

    private CliRun() {
    }

    static synchronized Result run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Wsss.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /**
     * Exit code 2 and exactly one line on stderr, {@code wsss <command>: error: <message>}: no stack trace.
     *
     * @return the message
     */
    static String usageError(String command, String... args) {
        Result r = run(args);
        assertEquals(2, r.exitCode(), "exit code; stderr: " + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line, no stack trace: " + r.err());
        String prefix = "wsss " + command + ": error: ";
        assertTrue(err.startsWith(prefix), err);
        return err.substring(prefix.length());
    }
}
