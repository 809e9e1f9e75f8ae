package org.wsss.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The pipeline on a real Spark standalone cluster (a Master and two one-core Workers as separate JVMs, stages
 * submitted with spark-submit), with processes killed under it:
 * <ol>
 *   <li>make-cams' only executor JVM killed while it writes its output: Spark reruns the lost tasks on the
 *   replacement executor the Master starts, and the CAM rows are exactly those of an undisturbed run, one per
 *   image;</li>
 *   <li>the driver killed while random-walk writes: nothing is committed, a later stage refuses the folder, and
 *   the next pipeline run skips every committed stage untouched and redoes random-walk;</li>
 *   <li>an executor killed while that rerun of random-walk writes: its lost tasks finish on another executor and
 *   every image has exactly one pseudo-label.</li>
 * </ol>
 * On 3,000 small images (32 pixels), so that the stages run long enough for the kills to land mid-stage and the
 * exactly-once checks cover a few thousand rows.
 */
class StandaloneClusterIT {
    static final Path SPARK_HOME = Path.of(System.getProperty("wsss.spark.home", "target/spark-home"))
            .toAbsolutePath();
    static final Path JOB_JAR = Path.of(System.getProperty("wsss.job.jar",
            "../spark-jobs/target/wsss-spark-jobs-0.1.0-SNAPSHOT-job.jar")).toAbsolutePath().normalize();
    static final int IMAGES = 3000;
    /** Small images, one epoch: 12 partitions give both executors several tasks in every Spark job. */
    static final List<String> SETS = List.of("dataset.synthetic.count=" + IMAGES, "dataset.synthetic.size=32",
            "ingest.partitions=12", "classifier.epochs=1", "classifier.input-size=32", "affinity.epochs=1",
            "affinity.input-size=32", "cam.sample-heatmaps=0", "walk.crf=false", "walk.write-png=false");
    static final List<String> BEFORE_WALK = List.of("ingest", "train-classifier", "make-cams", "eval-cams",
            "make-affinity-labels", "train-affinity");
    static final Duration STAGE_TIMEOUT = Duration.ofMinutes(10);

    @TempDir
    static Path tmp;
    static LocalStandaloneCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        assertTrue(Files.isRegularFile(JOB_JAR), JOB_JAR + ": no job jar; spark-jobs' package phase builds it "
                + "(run `mvn verify` from the repository root or with -pl src-test -am)");
        long t0 = System.nanoTime();
        cluster = LocalStandaloneCluster.start(SPARK_HOME, tmp.resolve("cluster"), 2, "2g");
        System.out.printf("StandaloneClusterIT: master and 2 workers up in %.1f s%n", seconds(t0));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
            assertEquals(List.of(), cluster.leftovers(), "processes of the test cluster still alive after close");
        }
    }

    @Test
    void killedExecutorLosesNoImageAndKilledDriverRedoesOnlyItsStage() throws Exception {
        Path a = tmp.resolve("run-a"), b = tmp.resolve("run-b");
        long t0 = System.nanoTime();

        // 1. Ingest and train the classifier in run A on both workers, then make its CAMs with a single executor
        //    and kill it while make-cams writes: no other executor is left, so the lost task can only rerun on the
        //    executor the Master starts in its place.
        Path logA = tmp.resolve("a-pipeline.log");
        Process driverA = cluster.submit(JOB_JAR, "wsss-it-a", wsss(a, "pipeline", "--until", "train-classifier"),
                logA);
        assertExit(0, driverA, logA);
        awaitNoExecutors(Duration.ofMinutes(2));
        Path logCams = tmp.resolve("a-make-cams.log");
        Instant camsStart = Instant.now();
        Process camsA = cluster.submit(JOB_JAR, "wsss-it-a-cams", wsss(a, "make-cams"), logCams, 1);
        awaitTaskAttempt(camsA, a.resolve("make-cams/cams"), logCams, camsStart);
        assertEquals(1, cluster.executors().size(), "make-cams runs on one executor");
        Killed victim = killExecutorMidTask(appId(logCams), null);
        assertExit(0, camsA, logCams);
        String a1 = Files.readString(logCams);
        int lostTasks = lostTasks(a1).size();
        int retries = count(a1, "Starting task \\d+\\.[1-9]\\d* in stage");
        assertTrue(a1.contains("Lost executor"), "the driver never noticed the killed executor:\n" + tail(a1));
        assertTrue(lostTasks >= 1, "the driver lost no task of the killed executor " + victim + ":\n"
                + taskStory(a1));
        assertLost(a1, victim);
        assertTrue(retries >= lostTasks, "lost tasks are run again: " + retries + " retried attempts for "
                + lostTasks + " lost tasks");
        List<String> rerunOn = assertLostTasksFinishedElsewhere(a1);
        Set<String> added = executorIds(a1);
        // the application has one core, so one executor at a time: any executor but the killed one replaced it
        assertTrue(added.size() >= 2, "the Master started no replacement executor: " + added + "\n" + tail(a1));
        assertTrue(added.containsAll(rerunOn), "retries ran on " + rerunOn + ", executors of the app " + added);
        double phase1 = seconds(t0);

        Map<String, ByteBuffer> images = column(a.resolve("ingest/manifest"), "image");
        assertEquals(IMAGES, images.size());
        Map<String, List<Object>> camsDisturbed = rows(a.resolve("make-cams/cams"));
        assertEquals(images.keySet(), camsDisturbed.keySet(), "one CAM row for every image, no other");

        // 2. Run B shares A's committed ingest and classifier; its make-cams runs undisturbed on two executors, then
        //    the pipeline goes on to random-walk, whose driver is killed while it writes.
        long t1 = System.nanoTime();
        copyTree(a.resolve("ingest"), b.resolve("ingest"));
        copyTree(a.resolve("train-classifier"), b.resolve("train-classifier"));
        Path logB = tmp.resolve("b-pipeline.log");
        Instant bStart = Instant.now();
        Process driverB = cluster.submit(JOB_JAR, "wsss-it-b", wsss(b, "pipeline", "--until", "random-walk"), logB);
        awaitTaskAttempt(driverB, b.resolve("random-walk/labels"), logB, bStart);
        driverB.destroyForcibly();
        assertTrue(driverB.waitFor(60, TimeUnit.SECONDS), "the killed driver did not exit");
        double phase2 = seconds(t1);
        assertFalse(Files.exists(b.resolve("random-walk/_STAGE.json")), "a killed stage has no commit marker");
        assertTrue(Files.exists(b.resolve("random-walk/labels/_temporary")),
                "the kill came after random-walk's output was started, so half-written files are there");
        String b1 = Files.readString(logB);
        assertTrue(b1.contains("make-cams: done in"), "run B made its own CAMs:\n" + tail(b1));

        // The killed driver's executors go away with it, and the Master forgets the application.
        cluster.awaitState("the killed application removed", s -> s.path("activeapps").isEmpty(),
                Duration.ofMinutes(2));
        awaitNoExecutors(Duration.ofMinutes(2));

        Map<String, List<Object>> camsUndisturbed = rows(b.resolve("make-cams/cams"));
        assertEquals(camsUndisturbed.keySet(), camsDisturbed.keySet());
        List<String> differing = camsDisturbed.keySet().stream()
                .filter(id -> !camsDisturbed.get(id).equals(camsUndisturbed.get(id))).toList();
        assertEquals(List.of(), differing, "CAM rows (all columns) differ between the run with the killed executor "
                + "and the undisturbed run");

        Cli.Result refused = Cli.run(cliArgs(b, "eval-labels"));
        assertEquals(2, refused.exitCode(), "eval-labels must refuse the interrupted random-walk: " + refused);
        assertTrue(refused.err().contains("'random-walk' is missing or incomplete"), refused.err());

        Map<String, String> markers = new LinkedHashMap<>();
        Map<String, FileTime> markerTimes = new LinkedHashMap<>();
        for (String stage : BEFORE_WALK) {
            Path m = b.resolve(stage).resolve("_STAGE.json");
            assertTrue(Files.exists(m), stage + " was committed before random-walk started");
            markers.put(stage, Files.readString(m));
            markerTimes.put(stage, Files.getLastModifiedTime(m));
        }

        // 3. The same pipeline again: committed stages are skipped and left as they were, random-walk is redone;
        //    one of its two executors is killed while it writes (not one of the killed driver's, which the Workers
        //    stop on their own, and not before the rerun has replaced the killed run's half-written attempts).
        awaitNoExecutors(Duration.ofMinutes(2));
        long t2 = System.nanoTime();
        Path logB2 = tmp.resolve("b-rerun.log");
        Instant rerunStart = Instant.now();
        Process rerun = cluster.submit(JOB_JAR, "wsss-it-b-rerun", wsss(b, "pipeline", "--until", "random-walk"),
                logB2);
        awaitTaskAttempt(rerun, b.resolve("random-walk/labels"), logB2, rerunStart);
        Killed walkVictim = killExecutorMidTask(appId(logB2),
                resultStage(logB2, writeCallSite(Path.of("../spark-jobs/src/main/java/org/wsss/jobs/RandomWalkJob.java"))));
        assertExit(0, rerun, logB2);
        double phase3 = seconds(t2);
        String b2 = Files.readString(logB2);
        int walkLost = lostTasks(b2).size();
        assertTrue(walkLost >= 1, "the driver lost no random-walk task of the killed executor " + walkVictim + ":\n"
                + taskStory(b2));
        assertLost(b2, walkVictim);
        List<String> walkRerunOn = assertLostTasksFinishedElsewhere(b2);
        for (String stage : BEFORE_WALK) {
            assertTrue(b2.contains(stage + ": up to date"), stage + " was not skipped:\n" + tail(b2));
            Path m = b.resolve(stage).resolve("_STAGE.json");
            assertEquals(markers.get(stage), Files.readString(m), stage + "'s marker was rewritten");
            assertEquals(markerTimes.get(stage), Files.getLastModifiedTime(m), stage + "'s marker was touched");
        }
        assertTrue(b2.contains("random-walk: clearing"), "the incomplete folder is cleared first:\n" + tail(b2));
        assertTrue(b2.contains("random-walk: done in"), tail(b2));
        assertTrue(Files.exists(b.resolve("random-walk/_STAGE.json")));
        assertFalse(Files.exists(b.resolve("random-walk/labels/_temporary")), "no leftovers of the killed run");
        Map<String, ByteBuffer> labels = column(b.resolve("random-walk/labels"), "mask");
        assertEquals(images.keySet(), labels.keySet(), "one pseudo-label per image, no other");

        System.out.printf("StandaloneClusterIT: executor kill: %d task(s) lost, rerun and finished on executor(s) %s, "
                        + "executors of the app %s; CAM rows of %d images identical to the undisturbed run%n",
                lostTasks, rerunOn, added, camsDisturbed.size());
        System.out.printf("StandaloneClusterIT: random-walk executor kill: %d task(s) lost, finished on executor(s) "
                + "%s; %d pseudo-labels, one per image%n", walkLost, walkRerunOn, labels.size());
        System.out.printf("StandaloneClusterIT: phase seconds: ingest..make-cams with executor kill %.1f, "
                        + "make-cams..random-walk until driver kill %.1f, rerun %.1f, total %.1f%n",
                phase1, phase2, phase3, seconds(t0));
    }

    private static List<String> wsss(Path run, String... command) {
        return List.of(cliArgs(run, command));
    }

    private static String[] cliArgs(Path run, String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        for (String s : SETS) {
            args.add("--set");
            args.add(s);
        }
        args.add("--run-dir");
        args.add(run.toString());
        return args.toArray(String[]::new);
    }

    /** Waits until a task attempt of the Spark job writing {@code output} has started (Hadoop's committer layout). */
    /** Waits for a task attempt folder under {@code output} made after {@code since} (older ones: a killed run's). */
    private static void awaitTaskAttempt(Process driver, Path output, Path log, Instant since) throws Exception {
        Path attempts = output.resolve("_temporary/0/_temporary");
        long deadline = System.nanoTime() + STAGE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(attempts)) {
                try (Stream<Path> s = Files.list(attempts)) {
                    if (s.anyMatch(p -> p.getFileName().toString().startsWith("attempt_") && madeAfter(p, since))) {
                        return;
                    }
                } catch (IOException vanished) {
                    // committed between the two calls: too late, reported below
                }
            }
            if (!driver.isAlive()) {
                fail("the driver exited (" + driver.exitValue() + ") before a task wrote " + output + ":\n"
                        + tail(Files.readString(log)));
            }
            Thread.sleep(20);
        }
        fail("no task wrote " + output + " within " + STAGE_TIMEOUT + ":\n" + tail(Files.readString(log)));
    }

    private static boolean madeAfter(Path p, Instant since) {
        try {
            return Files.getLastModifiedTime(p).toInstant().isAfter(since.minusSeconds(1));
        } catch (IOException vanished) {
            return false;
        }
    }

    /** The application id a driver's log names when it has registered with the Master. */
    private static String appId(Path driverLog) throws Exception {
        Pattern p = Pattern.compile("Connected to Spark cluster with app ID (\\S+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = p.matcher(Files.readString(driverLog));
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(50);
        }
        return fail("the driver never registered with the Master:\n" + tail(Files.readString(driverLog)));
    }

    /**
     * Spark's name for the job that writes a stage's table, "parquet at File.java:LINE" (the stage's reads are
     * "parquet at" the same file on other lines), from the line of its source that calls write().parquet.
     */
    private static String writeCallSite(Path source) throws IOException {
        List<String> lines = Files.readAllLines(source);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(".write().parquet(")) {
                return "parquet at " + source.getFileName() + ":" + (i + 1) + ")";
            }
        }
        return fail(source + " has no write().parquet( call");
    }

    /** The id of the Spark stage that writes a stage's table, once the driver's log names it. */
    private static String resultStage(Path driverLog, String callSite) throws Exception {
        Pattern p = Pattern.compile("Final stage: ResultStage (\\d+) \\(" + Pattern.quote(callSite));
        long deadline = System.nanoTime() + STAGE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = p.matcher(Files.readString(driverLog));
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(20);
        }
        return fail("the driver never ran " + callSite + ":\n" + tail(Files.readString(driverLog)));
    }

    /** An executor killed while it ran tasks: the TIDs its own log shows unfinished after it died. */
    record Killed(long pid, String executorLog, Set<String> tids) {
        @Override
        public String toString() {
            return "pid " + pid + " running TID(s) " + tids + " (" + executorLog + ")";
        }
    }

    /**
     * Kills an executor of {@code appId} that runs a task (of {@code stage}; null: any) and reads its log once it
     * is dead: the Worker copies an executor's log to its file behind the process, so a task the log showed running
     * may have finished just before the kill; then another executor (or the same task's successor) is killed, up to
     * five times.
     */
    private static Killed killExecutorMidTask(String appId, String stage) throws Exception {
        for (int attempt = 1; attempt <= 5; attempt++) {
            ProcessHandle victim = awaitExecutorRunningATask(appId, stage);
            Path log = cluster.executorLog(victim);
            assertTrue(victim.destroyForcibly(), "could not kill executor " + victim.pid());
            victim.onExit().get(30, TimeUnit.SECONDS);
            Thread.sleep(1000);
            Set<String> unfinished = runningTasks(Files.readString(log), stage);
            if (!unfinished.isEmpty()) {
                return new Killed(victim.pid(), log.toString(), unfinished);
            }
            System.out.printf("StandaloneClusterIT: executor pid %d had finished its tasks when it was killed "
                    + "(attempt %d)%n", victim.pid(), attempt);
        }
        return fail("five executor kills of " + appId + " all came after the executor's tasks had finished");
    }

    /** Every task the killed executor was running is reported lost by the driver (for whatever reason). */
    private static void assertLost(String driverLog, Killed killed) {
        Set<String> lostTids = new HashSet<>();
        lostTasks(driverLog).forEach(t -> lostTids.add(t.tid()));
        for (String tid : killed.tids()) {
            assertTrue(lostTids.contains(tid) || Pattern.compile("Lost task \\S+ in stage \\S+ \\(TID " + tid + "\\)")
                            .matcher(driverLog).find(),
                    "the driver never lost TID " + tid + " of the killed executor " + killed + ":\n"
                            + taskStory(driverLog));
        }
    }

    /** A task attempt the driver lost with its executor; {@code end} is where the driver's line about it ends. */
    record LostTask(String task, String stage, int stageAttempt, String tid, String executor, int end) {
    }

    /**
     * Task attempts lost with their executor, in log order. Spark 3.5's TaskSetManager says so in one of two ways,
     * depending on which news of the death reaches the driver first: "Lost task 1.0 in stage 6.0 (TID 9) (host
     * executor 1): ExecutorLostFailure ..." when the exit counts as the application's (a dropped connection), or
     * "task 1.0 in stage 6.0 (TID 9) failed because while it was being computed, its executor exited for a reason
     * unrelated to the task" when the Master's report (exit code 137) comes first; that line names no executor, so
     * it is taken from the attempt's "Starting task" line.
     */
    private static List<LostTask> lostTasks(String driverLog) {
        Matcher m = Pattern.compile("Lost task (\\d+)\\.\\d+ in stage (\\d+)\\.(\\d+) \\(TID (\\d+)\\) "
                + "\\(\\S+ executor (\\d+)\\): ExecutorLostFailure"
                + "|task (\\d+)\\.\\d+ in stage (\\d+)\\.(\\d+) \\(TID (\\d+)\\) failed because while it was being "
                + "computed, its executor exited").matcher(driverLog);
        List<LostTask> out = new ArrayList<>();
        while (m.find()) {
            if (m.group(1) != null) {
                out.add(new LostTask(m.group(1), m.group(2), Integer.parseInt(m.group(3)), m.group(4), m.group(5),
                        m.end()));
            } else {
                String tid = m.group(9);
                Matcher started = Pattern.compile("Starting task \\S+ in stage \\S+ \\(TID " + tid
                        + "\\) \\(\\S+, executor (\\d+),").matcher(driverLog);
                assertTrue(started.find(), "TID " + tid + " was lost but never started:\n" + taskStory(driverLog));
                out.add(new LostTask(m.group(6), m.group(7), Integer.parseInt(m.group(8)), tid, started.group(1),
                        m.end()));
            }
        }
        return out;
    }

    /** TIDs a log shows started (in {@code stage}; null: any) and not finished. */
    private static Set<String> runningTasks(String log, String stage) {
        Pattern started = Pattern.compile("Running task \\S+ in stage " + (stage == null ? "\\S+" : stage + "\\.\\d+")
                + " \\(TID (\\d+)\\)");
        Pattern finished = Pattern.compile("Finished task \\S+ in stage \\S+ \\(TID (\\d+)\\)");
        Set<String> running = new HashSet<>();
        Matcher m = started.matcher(log);
        while (m.find()) {
            running.add(m.group(1));
        }
        m = finished.matcher(log);
        while (m.find()) {
            running.remove(m.group(1));
        }
        return running;
    }

    /**
     * An executor of application {@code appId} whose own log shows a task (of Spark stage {@code stage}, or of any
     * stage for null) started and not finished, so that killing it loses that task: the stage's tasks, not the
     * short counting jobs around them.
     */
    private static ProcessHandle awaitExecutorRunningATask(String appId, String stage) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (ProcessHandle e : cluster.executors()) {
                if (!e.info().commandLine().orElse("").contains("--app-id " + appId)) {
                    continue;
                }
                Set<String> running = runningTasks(Files.readString(cluster.executorLog(e)), stage);
                if (!running.isEmpty()) {
                    System.out.printf("StandaloneClusterIT: executor pid %d of %s is running TID(s) %s%s%n", e.pid(),
                            appId, running, stage == null ? "" : " of stage " + stage);
                    return e;
                }
            }
            Thread.sleep(20);
        }
        StringBuilder seen = new StringBuilder();
        for (ProcessHandle e : cluster.executors()) {
            String log;
            try {
                log = Files.readString(cluster.executorLog(e));
            } catch (IllegalStateException exited) {
                continue;
            }
            seen.append("\n").append(e.info().commandLine().orElse("?").replaceAll(".*(--executor-id \\S+).*(--app-id "
                    + "\\S+).*", "$1 $2")).append(":\n").append(log.lines().filter(l -> l.contains(" task "))
                    .reduce((x, y) -> y.length() > 0 ? x + "\n" + y : x).orElse("(no task lines)"));
        }
        return fail("no executor of " + appId + " was running a task" + (stage == null ? "" : " of stage " + stage)
                + "; the executors' task lines:" + seen);
    }

    /**
     * Every task lost with the killed executor has a later attempt that finished on another executor (a retry in the
     * same stage attempt, or the task in a resubmitted attempt of its stage, as Spark does when the executor also
     * held the stage's finished shuffle output); returns the executors the retries finished on.
     */
    private static List<String> assertLostTasksFinishedElsewhere(String driverLog) {
        List<String> finishedOn = new ArrayList<>();
        for (LostTask lost : lostTasks(driverLog)) {
            String task = lost.task(), stage = lost.stage(), killed = lost.executor();
            int stageAttempt = lost.stageAttempt();
            Matcher done = Pattern.compile("Finished task " + task + "\\.(\\d+) in stage " + stage
                    + "\\.(\\d+) \\(TID \\d+\\) in \\d+ ms on \\S+ \\(executor (\\d+)\\)").matcher(driverLog);
            String on = null;
            int from = lost.end();
            while (on == null && done.find(from)) {
                from = done.end();
                int taskAttempt = Integer.parseInt(done.group(1));
                int laterStage = Integer.parseInt(done.group(2));
                if (laterStage > stageAttempt || (laterStage == stageAttempt && taskAttempt >= 1)) {
                    on = done.group(3);
                }
            }
            assertNotNull(on, "task " + task + " of stage " + stage + "." + stageAttempt + ", lost with executor "
                    + killed + ", never finished on a later attempt; the log's lines of that stage:\n"
                    + linesOf(driverLog, " stage " + stage + "."));
            assertNotEquals(killed, on, "task " + task + " 'finished' on the killed executor");
            finishedOn.add(on);
        }
        assertFalse(finishedOn.isEmpty(), "no lost task found in the driver log:\n" + tail(driverLog));
        return finishedOn;
    }

    private static String linesOf(String log, String containing) {
        return log.lines().filter(l -> l.contains(containing)).limit(60).collect(java.util.stream.Collectors
                .joining("\n"));
    }

    /** The ids of the executors the Master gave the application, from the driver's standalone client log. */
    private static Set<String> executorIds(String driverLog) {
        Set<String> ids = new TreeSet<>();
        Matcher m = Pattern.compile("Executor added: app-\\S+/(\\d+) on").matcher(driverLog);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private static void assertExit(int expected, Process driver, Path log) throws Exception {
        if (!driver.waitFor(STAGE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            driver.destroyForcibly();
            fail("the driver did not finish within " + STAGE_TIMEOUT + ":\n" + tail(Files.readString(log)));
        }
        assertEquals(expected, driver.exitValue(), tail(Files.readString(log)));
    }

    private static void awaitNoExecutors(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!cluster.executors().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertEquals(List.of(), cluster.executors(), "executors outlived their killed driver");
    }

    /** image_id to the bytes of one binary column, read with DuckDB; a repeated image_id fails. */
    private static Map<String, ByteBuffer> column(Path parquetDir, String column) throws Exception {
        Map<String, ByteBuffer> rows = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT image_id, " + column + " FROM read_parquet('"
                     + parquetDir.resolve("*.parquet") + "')")) {
            while (rs.next()) {
                String id = rs.getString(1);
                ByteBuffer previous = rows.put(id, ByteBuffer.wrap(rs.getBytes(2)));
                assertNull(previous, parquetDir + ": image " + id + " has more than one row");
            }
        }
        return rows;
    }

    /**
     * image_id to every column of its row, read with DuckDB (binary columns as their bytes, lists as lists, floats
     * compared by bits through Float.equals); a repeated image_id fails.
     */
    private static Map<String, List<Object>> rows(Path parquetDir) throws Exception {
        Map<String, List<Object>> rows = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM read_parquet('" + parquetDir.resolve("*.parquet") + "')")) {
            int columns = rs.getMetaData().getColumnCount();
            assertTrue(columns >= 8, parquetDir + ": only " + columns + " columns");
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(comparable(rs.getObject(i)));
                }
                List<Object> previous = rows.put(rs.getString("image_id"), row);
                assertNull(previous, parquetDir + ": image " + rs.getString("image_id") + " has more than one row");
            }
        }
        return rows;
    }

    private static Object comparable(Object value) throws java.sql.SQLException {
        if (value instanceof byte[] bytes) {
            return ByteBuffer.wrap(bytes);
        }
        if (value instanceof java.sql.Blob blob) {
            return ByteBuffer.wrap(blob.getBytes(1, (int) blob.length()));
        }
        if (value instanceof java.sql.Array array) {
            List<Object> out = new ArrayList<>();
            for (Object o : (Object[]) array.getArray()) {
                out.add(comparable(o));
            }
            return out;
        }
        return value;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file)));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static int count(String text, String regex) {
        return (int) Pattern.compile(regex).matcher(text).results().count();
    }

    /** The driver's lines about stages, tasks and executors (the last 200): what a failed kill check needs. */
    private static String taskStory(String log) {
        List<String> lines = log.lines().filter(l -> l.contains("TaskSetManager") || l.contains("DAGScheduler")
                || l.contains("xecutor") || l.contains("StageRunner")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 200), lines.size()));
    }

    private static String tail(String log) {
        return log.length() <= 6000 ? log : log.substring(log.length() - 6000);
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
