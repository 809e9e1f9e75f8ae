package org.wsss.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** `wsss ingest` end to end through the CLI, with a third-party Parquet reader (DuckDB) on its output. */
class IngestCliIT {

    @Test
    void vocLayoutWithCustomClassesIngestsAndReadsInDuckDb(@TempDir Path tmp) throws Exception {
        Path root = VocTree.write(tmp.resolve("voc"), 6);
        Path run = tmp.resolve("run");
        Cli.Result r = Cli.run("ingest", "--set", "dataset.format=voc", "--set", "dataset.root=" + root,
                "--set", "dataset.classes=[apple, pear]", "--set", "runtime.local-master=local[2]",
                "--run-dir", run.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.exists(run.resolve("ingest/_STAGE.json")));

        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             Statement st = c.createStatement()) {
            String manifest = run.resolve("ingest/manifest").toString() + "/*.parquet";
            try (ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT image_id), min(width), "
                    + "max(height), sum(len(labels)) FROM read_parquet('" + manifest + "')")) {
                assertTrue(rs.next());
                assertEquals(6, rs.getLong(1), "one row per readable image");
                assertEquals(6, rs.getLong(2));
                assertEquals(64, rs.getInt(3));
                assertEquals(48, rs.getInt(4));
                assertEquals(6, rs.getLong(5), "one label per image");
            }
            try (ResultSet rs = st.executeQuery("SELECT label_names[1], count(*) FROM read_parquet('" + manifest
                    + "') GROUP BY 1 ORDER BY 1")) {
                assertTrue(rs.next());
                assertEquals("apple", rs.getString(1));
                assertEquals(3, rs.getLong(2));
                assertTrue(rs.next());
                assertEquals("pear", rs.getString(1));
                assertEquals(3, rs.getLong(2));
            }
            String quarantine = run.resolve("ingest/quarantine").toString() + "/*.parquet";
            try (ResultSet rs = st.executeQuery("SELECT image_id, reason FROM read_parquet('" + quarantine + "')")) {
                assertTrue(rs.next());
                assertEquals("cut", rs.getString(1));
                assertTrue(rs.getString(2).toLowerCase().contains("truncated"), rs.getString(2));
                assertFalse(rs.next());
            }
        }

        Cli.Result again = Cli.run("ingest", "--set", "dataset.format=voc", "--set", "dataset.root=" + root,
                "--set", "dataset.classes=[apple, pear]", "--run-dir", run.toString());
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("up to date"), again.out());
    }

    @Test
    void badConfigurationFailsBeforeSparkNamingTheKeyAndValue(@TempDir Path run) {
        Cli.Result unknown = Cli.run("ingest", "--set", "dataset.fromat=voc", "--run-dir", run.toString());
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("dataset.fromat"), unknown.err());
        assertTrue(unknown.err().contains("voc"), unknown.err());

        Cli.Result range = Cli.run("ingest", "--set", "dataset.synthetic.count=-3", "--run-dir", run.toString());
        assertEquals(2, range.exitCode());
        assertTrue(range.err().contains("dataset.synthetic.count") && range.err().contains("-3"), range.err());

        Cli.Result type = Cli.run("ingest", "--set", "ingest.partitions=many", "--run-dir", run.toString());
        assertEquals(2, type.exitCode());
        assertTrue(type.err().contains("ingest.partitions") && type.err().contains("many"), type.err());

        Cli.Result root = Cli.run("ingest", "--set", "dataset.format=voc", "--set", "dataset.root=" + run.resolve("nope"),
                "--run-dir", run.toString());
        assertEquals(2, root.exitCode());
        assertTrue(root.err().contains("dataset.root") && root.err().contains("nope"), root.err());
        assertFalse(Files.exists(run.resolve("ingest/_STAGE.json")));
    }

    @Test
    void everyCommandHasHelp() {
        Cli.Result top = Cli.run("--help");
        assertEquals(0, top.exitCode());
        List<String> commands = new java.util.ArrayList<>(org.wsss.jobs.Stages.names());
        commands.addAll(List.of("pipeline", "demo", "config", "kernel", "doctor", "report", "export-synthetic"));
        for (String cmd : commands) {
            assertTrue(top.out().contains(cmd), "top-level help lists " + cmd);
            Cli.Result r = Cli.run(cmd, "--help");
            assertEquals(0, r.exitCode(), cmd);
            assertTrue(r.out().contains("Usage: wsss " + cmd), r.out());
        }
        Cli.Result ingest = Cli.run("ingest", "--help");
        assertTrue(ingest.out().contains("--run-dir") && ingest.out().contains("--conf")
                && ingest.out().contains("--set"), ingest.out());
    }
}
