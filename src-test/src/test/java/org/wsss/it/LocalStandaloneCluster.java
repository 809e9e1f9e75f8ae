package org.wsss.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark standalone cluster on 127.0.0.1 made of Maven jars (STACK.md): a Master and one-core Workers as
 * separate JVMs, drivers started by spark-submit in client mode. Every process it starts, and every executor
 * its Workers spawn, is stopped by {@link #close()}.
 */
final class LocalStandaloneCluster implements AutoCloseable {
    static final String EXECUTOR_MAIN = "org.apache.spark.executor.CoarseGrainedExecutorBackend";

    private final Path sparkHome;
    private final Path dir;
    private final int masterPort;
    private final int masterUiPort;
    private final List<String> javaFlags = javaFlagsOfThisJvm();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process master;
    private final List<Process> workers = new ArrayList<>();
    private final List<Process> drivers = new ArrayList<>();
    /** Executors seen while the cluster ran: a killed Worker's children would outlive it unnoticed otherwise. */
    private final List<ProcessHandle> executorsSeen = new ArrayList<>();

    private LocalStandaloneCluster(Path sparkHome, Path dir) throws IOException {
        this.sparkHome = sparkHome;
        this.dir = dir;
        this.masterPort = freePort();
        this.masterUiPort = freePort();
    }

    /** Starts the Master and {@code workers} Workers (1 core, {@code workerMemory} each) and waits until all registered. */
    static LocalStandaloneCluster start(Path sparkHome, Path dir, int workers, String workerMemory)
            throws Exception {
        if (!Files.isDirectory(sparkHome.resolve("jars"))) {
            throw new IllegalStateException(sparkHome.resolve("jars") + ": no Spark jars; src-test's pom copies them "
                    + "there at pre-integration-test (run through `mvn verify`)");
        }
        LocalStandaloneCluster c = new LocalStandaloneCluster(sparkHome, dir);
        try {
            c.master = c.startDaemon("master", List.of("org.apache.spark.deploy.master.Master", "--host",
                    "127.0.0.1", "--port", String.valueOf(c.masterPort), "--webui-port",
                    String.valueOf(c.masterUiPort)));
            for (int i = 0; i < workers; i++) {
                Path work = Files.createDirectories(dir.resolve("worker-" + i));
                c.workers.add(c.startDaemon("worker-" + i, List.of("org.apache.spark.deploy.worker.Worker",
                        "--host", "127.0.0.1", "--webui-port", String.valueOf(freePort()), "--cores", "1",
                        "--memory", workerMemory, "--work-dir", work.toString(), c.masterUrl())));
            }
            c.awaitState("all " + workers + " workers registered",
                    s -> s.path("aliveworkers").asInt() == workers, Duration.ofSeconds(180));
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    Path dir() {
        return dir;
    }

    /**
     * Starts {@code wsss <args>} under spark-submit (client mode: the driver is this process) with one executor per
     * Worker, and its output going to {@code log}.
     */
    Process submit(Path jobJar, String name, List<String> wsssArgs, Path log) throws IOException {
        return submit(jobJar, name, wsssArgs, log, workers.size());
    }

    /** {@link #submit} with the application limited to {@code cores} one-core executors. */
    Process submit(Path jobJar, String name, List<String> wsssArgs, Path log, int cores) throws IOException {
        // ND4J's memory is off-heap: capped per JVM, as deploy/bin/submit does, to fit beside the other processes.
        List<String> javacpp = List.of("-Dorg.bytedeco.javacpp.maxbytes=1G",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=3G");
        List<String> cmd = new ArrayList<>(java());
        cmd.addAll(javaFlags);
        cmd.addAll(javacpp);
        cmd.addAll(List.of("-Xmx1g", "-cp", sparkHome.resolve("jars") + File.separator + "*", "org.apache.spark.deploy.SparkSubmit",
                "--master", masterUrl(), "--deploy-mode", "client", "--class", "org.wsss.cli.Wsss", "--name", name,
                "--total-executor-cores", String.valueOf(cores), "--executor-cores", "1",
                "--executor-memory", "1g",
                "--conf", "spark.executor.extraJavaOptions=" + String.join(" ", javaFlags) + " "
                        + String.join(" ", javacpp),
                // One native thread per one-core executor: results do not depend on thread timing either.
                "--conf", "spark.executorEnv.OMP_NUM_THREADS=1",
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.local.dir=" + Files.createDirectories(dir.resolve("driver-local")),
                jobJar.toString()));
        cmd.addAll(wsssArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        environment(pb);
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        drivers.add(p);
        return p;
    }

    /**
     * Live executor JVMs spawned by this cluster's Workers. Only a Worker's own children count: a process an
     * executor forks (Hadoop's local file system runs {@code chmod} while tasks write) shows the executor's command
     * line until it execs, and was once counted as a third executor.
     */
    List<ProcessHandle> executors() {
        List<ProcessHandle> found = new ArrayList<>();
        for (Process w : workers) {
            w.children().filter(ph -> ph.info().commandLine().orElse("").contains(EXECUTOR_MAIN))
                    .forEach(found::add);
        }
        synchronized (executorsSeen) {
            for (ProcessHandle ph : found) {
                if (!executorsSeen.contains(ph)) {
                    executorsSeen.add(ph);
                }
            }
        }
        return found;
    }

    /**
     * The log (stderr) of an executor of this cluster: a Worker keeps it at
     * {@code <work-dir>/<app-id>/<executor-id>/stderr}, both ids being on the executor's command line.
     */
    Path executorLog(ProcessHandle executor) {
        String cmd = executor.info().commandLine().orElse("");
        Matcher app = Pattern.compile("--app-id (\\S+)").matcher(cmd);
        Matcher id = Pattern.compile("--executor-id (\\S+)").matcher(cmd);
        if (!app.find() || !id.find()) {
            throw new IllegalStateException("process " + executor.pid() + " is no executor: " + cmd);
        }
        for (int i = 0; i < workers.size(); i++) {
            Path log = dir.resolve("worker-" + i).resolve(app.group(1)).resolve(id.group(1)).resolve("stderr");
            if (Files.exists(log)) {
                return log;
            }
        }
        throw new IllegalStateException("no worker folder has the log of executor " + id.group(1) + " of "
                + app.group(1));
    }

    /** The Master's view (its /json endpoint): workers, active and completed applications. */
    JsonNode state() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUiPort
                + "/json/")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body());
    }

    void awaitState(String what, Predicate<JsonNode> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!master.isAlive()) {
                throw new IllegalStateException("the Spark Master exited (log: " + dir.resolve("master.log") + ")");
            }
            try {
                JsonNode s = state();
                if (condition.test(s)) {
                    return;
                }
                last = s.toString();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what
                + "; master state: " + last);
    }

    /** Processes started here, or executors seen, that are still alive. */
    List<ProcessHandle> leftovers() {
        executors();
        List<ProcessHandle> all = new ArrayList<>();
        drivers.forEach(p -> all.add(p.toHandle()));
        workers.forEach(p -> all.add(p.toHandle()));
        if (master != null) {
            all.add(master.toHandle());
        }
        synchronized (executorsSeen) {
            all.addAll(executorsSeen);
        }
        return all.stream().filter(ProcessHandle::isAlive).toList();
    }

    /** Stops drivers, executors, Workers and the Master (by process, never by name) and waits for each. */
    @Override
    public void close() {
        drivers.forEach(LocalStandaloneCluster::kill);
        executors();
        List<ProcessHandle> executorHandles;
        synchronized (executorsSeen) {
            executorHandles = new ArrayList<>(executorsSeen);
        }
        executorHandles.forEach(LocalStandaloneCluster::kill);
        workers.forEach(LocalStandaloneCluster::kill);
        if (master != null) {
            kill(master);
        }
    }

    private static void kill(Process p) {
        kill(p.toHandle());
    }

    private static void kill(ProcessHandle ph) {
        if (ph.isAlive()) {
            ph.destroyForcibly();
            try {
                ph.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // leftovers() reports it.
            }
        }
    }

    private Process startDaemon(String name, List<String> mainAndArgs) throws IOException {
        List<String> cmd = new ArrayList<>(java());
        cmd.addAll(javaFlags);
        cmd.addAll(List.of("-Xmx256m", "-Dspark.local.dir=" + Files.createDirectories(dir.resolve(name + "-local")),
                "-cp", sparkHome.resolve("jars") + File.separator + "*"));
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        environment(pb);
        return pb.start();
    }

    private void environment(ProcessBuilder pb) {
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        // The Worker builds executor command lines with Spark's launcher, which outside a Spark build tree or
        // distribution cannot tell the Scala version ("Cannot find any build directories") unless told.
        env.put("SPARK_SCALA_VERSION", "2.12");
    }

    private static List<String> java() {
        return List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    }

    /** The Java 17 opens Spark needs, as failsafe gave them to this JVM (the parent pom's spark.jvm.flags). */
    private static List<String> javaFlagsOfThisJvm() {
        List<String> flags = new ArrayList<>();
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("-Djdk.reflect")) {
                flags.add(arg);
            }
        }
        if (flags.isEmpty()) {
            throw new IllegalStateException("this JVM has no --add-opens flags to hand on to Spark's JVMs; run it "
                    + "through failsafe, whose argLine has the parent pom's spark.jvm.flags");
        }
        return flags;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
