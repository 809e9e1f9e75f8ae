package org.wsss.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.wsss.cli.Wsss;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the wsss CLI in this JVM and captures what it prints. */
final class Cli {
    record Result(int exitCode, String out, String err) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private Cli() {
    }

    /** {@code command --run-dir runDir} followed by {@code --set s} for each setting, in order (later ones win). */
    static String[] withSettings(String command, Path runDir, List<String> settings, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "--run-dir", runDir.toString()));
        for (String s : settings) {
            args.addAll(List.of("--set", s));
        }
        for (String s : more) {
            args.addAll(List.of("--set", s));
        }
        return args.toArray(String[]::new);
    }

    /** A stage's metrics.json in a run directory. */
    static JsonNode metrics(Path run, String stage) throws IOException {
        return JSON.readTree(run.resolve(stage).resolve("metrics.json").toFile());
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
}
