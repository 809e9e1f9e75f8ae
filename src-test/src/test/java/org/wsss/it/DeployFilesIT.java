package org.wsss.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.jobs.Stages;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** deploy/: the Airflow DAG against the stage list, deploy/bin/submit's spark-submit command, GPU discovery. */
class DeployFilesIT {
    static final Path ROOT = findRoot();
    static final Path DAG = ROOT.resolve("deploy/airflow/wsss_pipeline_dag.py");
    static final Path SUBMIT = ROOT.resolve("deploy/bin/submit");
    static final Path DISCOVER = ROOT.resolve("deploy/gpu/discover-gpus.sh");

    /** Spark 3.5 on Java 17 (STACK.md): every package must be opened to the unnamed module. */
    static final List<String> JAVA17_FLAGS = Stream.of("java.lang", "java.lang.invoke", "java.lang.reflect",
                    "java.io", "java.net", "java.nio", "java.util", "java.util.concurrent",
                    "java.util.concurrent.atomic", "jdk.internal.ref", "sun.nio.ch", "sun.nio.cs",
                    "sun.security.action", "sun.util.calendar")
            .map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED").toList();

    @TempDir
    Path tmp;

    record Result(int exit, String out, String err) {
    }

    // ---- the Airflow DAG ----

    @Test
    void dagStageListIsThePipelineOrderAndDrivesOneChainedTaskPerStage() throws IOException {
        String src = Files.readString(DAG);
        Matcher m = Pattern.compile("(?ms)^STAGES\\s*=\\s*\\[(.*?)\\]").matcher(src);
        assertTrue(m.find(), DAG + ": no top-level STAGES = [...] list");
        String body = m.group(1).replaceAll("(?m)#.*$", "");
        assertTrue(body.matches("(?s)(\\s*\"[a-z0-9-]+\"\\s*,?)*\\s*"),
                DAG + ": STAGES must be a plain list of string literals, got: " + body);
        List<String> listed = new ArrayList<>();
        Matcher s = Pattern.compile("\"([^\"]+)\"").matcher(body);
        while (s.find()) {
            listed.add(s.group(1));
        }
        assertEquals(Stages.names(), listed, DAG + ": STAGES differs from org.wsss.jobs.Stages.names()");
        assertEquals(1, count(src, "(?m)^STAGES\\s*="), "STAGES is defined once");

        // One operator, built per stage from the list and chained in list order.
        assertEquals(1, count(src, "SparkSubmitOperator\\("), "one SparkSubmitOperator construction");
        assertTrue(src.contains("task_id=stage,"), "task_id is the stage name");
        assertTrue(src.contains("for stage in STAGES"), "tasks are built from STAGES");
        assertTrue(src.contains("chain(*tasks)"), "tasks are chained in STAGES order");
        Matcher retries = Pattern.compile("\"retries\":\\s*(\\d+)").matcher(src);
        assertTrue(retries.find() && Integer.parseInt(retries.group(1)) > 0, "default_args retries > 0");
        assertTrue(src.contains("\"retry_delay\": timedelta("), "default_args retry_delay");
    }

    @Test
    void dagEvaluatedWithStubAirflowHasTheSettingsTheJobNeeds() throws Exception {
        assertTrue(onPath("python3"), "python3 is needed to evaluate the DAG file and is not on PATH: run the "
                + "tests with deploy/bin/test (it installs python3 as root with apt-get), or `apt-get install -y python3`");
        JsonNode cpu = evaluateDag(Map.of("WSSS_HOME", "/opt/w"));
        assertEquals("wsss_pipeline", cpu.at("/dag/dag_id").asText());
        assertTrue(cpu.at("/dag/default_args/retries").asInt() > 0, "retries > 0");
        assertTrue(cpu.at("/dag/default_args/retry_delay_s").asDouble() > 0, "retry_delay > 0");

        List<String> ids = new ArrayList<>();
        cpu.get("tasks").forEach(t -> ids.add(t.get("task_id").asText()));
        assertEquals(Stages.names(), ids, "one task per stage, in pipeline order");
        assertEquals(1, cpu.get("chains").size(), "one chain");
        List<String> chained = new ArrayList<>();
        cpu.get("chains").get(0).forEach(n -> chained.add(n.asText()));
        assertEquals(Stages.names(), chained, "the chain runs the stages in pipeline order");

        for (JsonNode t : cpu.get("tasks")) {
            String stage = t.get("task_id").asText();
            assertEquals("SparkSubmitOperator", t.get("operator").asText());
            assertEquals("org.wsss.cli.Wsss", t.get("java_class").asText());
            assertEquals("/opt/w/wsss-spark-jobs-job.jar", t.get("application").asText());
            assertEquals(List.of("/opt/w/conf/cluster.conf"), Arrays.asList(t.get("files").asText().split(",")));
            List<String> args = strings(t.get("application_args"));
            assertEquals(stage, args.get(0), stage + ": the CLI command is the stage");
            assertEquals(List.of("--conf", "cluster.conf"), args.subList(1, 3), stage + ": conf by file name");
            int runDir = args.indexOf("--run-dir");
            assertTrue(runDir > 0 && runDir == args.size() - 2, stage + ": --run-dir DIR at the end: " + args);
            String dir = args.get(runDir + 1);
            assertTrue(dir.contains("{{") && dir.contains("}}") && dir.contains("ds_nodash"),
                    stage + ": run dir is templated per run: " + dir);
            for (String key : List.of("spark.driver.extraJavaOptions", "spark.executor.extraJavaOptions")) {
                List<String> opts = Arrays.asList(t.at("/conf/" + key).asText().split(" "));
                assertTrue(opts.containsAll(JAVA17_FLAGS), stage + " " + key + ": " + opts);
                assertTrue(opts.contains("-Djdk.reflect.useDirectMethodHandle=false"), key);
                assertTrue(opts.stream().anyMatch(o -> o.startsWith("-Dorg.bytedeco.javacpp.maxbytes=")), key);
                assertTrue(opts.stream().anyMatch(o -> o.startsWith("-Dorg.bytedeco.javacpp.maxphysicalbytes=")),
                        key);
            }
            assertFalse(t.get("conf").has("spark.executor.resource.gpu.amount"), "no GPU without WSSS_GPU");
        }

        JsonNode gpu = evaluateDag(Map.of("WSSS_HOME", "/opt/w", "WSSS_GPU", "true", "WSSS_EXECUTOR_CORES", "4"));
        JsonNode t = gpu.get("tasks").get(0);
        assertEquals("1", t.at("/conf/spark.executor.resource.gpu.amount").asText());
        assertEquals(0.25, Double.parseDouble(t.at("/conf/spark.task.resource.gpu.amount").asText()), 1e-9);
        assertEquals("./discover-gpus.sh", t.at("/conf/spark.executor.resource.gpu.discoveryScript").asText());
        assertEquals(List.of("/opt/w/conf/cluster.conf", "/opt/w/deploy/gpu/discover-gpus.sh"),
                Arrays.asList(t.get("files").asText().split(",")));
    }

    /** Runs the DAG file against minimal airflow stand-ins that record what it builds, and returns that. */
    private JsonNode evaluateDag(Map<String, String> env) throws Exception {
        Path stubs = tmp.resolve("stubs");
        write(stubs.resolve("airflow/__init__.py"), """
                RECORD = {"dag": None, "tasks": [], "chains": []}
                class DAG:
                    def __init__(self, dag_id, default_args=None, **kw):
                        d = dict(default_args or {})
                        d["retry_delay_s"] = d.pop("retry_delay").total_seconds()
                        RECORD["dag"] = {"dag_id": dag_id, "default_args": d}
                    def __enter__(self):
                        return self
                    def __exit__(self, *a):
                        return False
                """);
        write(stubs.resolve("airflow/models/__init__.py"), "");
        write(stubs.resolve("airflow/models/baseoperator.py"), """
                from airflow import RECORD
                def chain(*tasks):
                    RECORD["chains"].append([t.kw["task_id"] for t in tasks])
                """);
        for (String p : List.of("providers", "providers/apache", "providers/apache/spark",
                "providers/apache/spark/operators")) {
            write(stubs.resolve("airflow/" + p + "/__init__.py"), "");
        }
        write(stubs.resolve("airflow/providers/apache/spark/operators/spark_submit.py"), """
                from airflow import RECORD
                class SparkSubmitOperator:
                    def __init__(self, **kw):
                        self.kw = kw
                        RECORD["tasks"].append(dict(kw, operator="SparkSubmitOperator"))
                """);
        String harness = "import json, runpy, sys\nimport airflow\nrunpy.run_path(sys.argv[1])\n"
                + "print(json.dumps(airflow.RECORD))\n";
        ProcessBuilder pb = new ProcessBuilder("python3", "-c", harness, DAG.toString());
        cleanEnv(pb).putAll(env);
        pb.environment().put("PYTHONPATH", stubs.toString());
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Result r = run(pb);
        assertEquals(0, r.exit(), "evaluating " + DAG + ": " + r.err());
        return new ObjectMapper().readTree(r.out());
    }

    // ---- deploy/bin/submit ----

    @Test
    void clusterDryRunPrintsClassJarJvmFlagsShippedConfsAndCliArgsWithSecretsMasked() throws Exception {
        Path jar = jobJar();
        Path site = write(tmp.resolve("site/site.conf"), "dataset.format = voc\n");
        Result r = submit(Map.of("WSSS_JOB_JAR", jar.toString(), "WSSS_EXECUTOR_OFFHEAP_MEMORY", "3G"),
                "train-classifier", "--master", "yarn", "--deploy-mode", "cluster",
                "--conf", ROOT.resolve("conf/cluster.conf").toString(), "--conf", site.toString(),
                "--set", "dataset.root=hdfs:///data/voc", "--set", "storage.secret-key=hunter2",
                "--spark-conf", "spark.hadoop.fs.s3a.access.key=AKIAXYZ",
                "--spark-conf", "spark.executor.extraJavaOptions=-Ddb.password=pw123 -Dfoo=bar",
                "--run-dir", "hdfs:///runs/r1", "--dry-run");
        assertEquals(0, r.exit(), r.err());
        for (String secret : List.of("hunter2", "AKIAXYZ", "pw123")) {
            assertFalse(r.out().contains(secret), "secret '" + secret + "' printed:\n" + r.out());
        }
        List<String> cmd = decodeShellWords(r.out());
        assertTrue(cmd.get(0).endsWith("spark-submit"), cmd.get(0));
        assertEquals("org.wsss.cli.Wsss", valueOf(cmd, "--class"));
        assertEquals("yarn", valueOf(cmd, "--master"));
        assertEquals("cluster", valueOf(cmd, "--deploy-mode"));
        assertEquals(List.of(ROOT.resolve("conf/cluster.conf").toString(), site.toString()),
                Arrays.asList(valueOf(cmd, "--files").split(",")));

        List<String> confs = sparkConfs(cmd);
        for (String side : List.of("driver", "executor")) {
            List<String> opts = javaOptions(confs, "spark." + side + ".extraJavaOptions");
            assertTrue(opts.containsAll(JAVA17_FLAGS), side + ": " + opts);
            assertTrue(opts.contains("-Djdk.reflect.useDirectMethodHandle=false"), side + ": " + opts);
            assertTrue(opts.stream().anyMatch(o -> o.matches("-Dorg\\.bytedeco\\.javacpp\\.maxbytes=\\d+[gGmM]")),
                    side + ": " + opts);
            assertTrue(opts.stream().anyMatch(o -> o.matches("-Dorg\\.bytedeco\\.javacpp\\.maxphysicalbytes=\\d+[gGmM]")),
                    side + ": " + opts);
        }
        List<String> executorOpts = javaOptions(confs, "spark.executor.extraJavaOptions");
        assertTrue(executorOpts.contains("-Dorg.bytedeco.javacpp.maxbytes=3G"), "env override: " + executorOpts);
        assertTrue(executorOpts.contains("-Dfoo=bar") && executorOpts.contains("-Ddb.password=****"),
                "user options appended, secret masked: " + executorOpts);
        assertTrue(confs.contains("spark.hadoop.fs.s3a.access.key=****"), confs.toString());
        assertTrue(confs.stream().noneMatch(c -> c.contains("resource.gpu")), "GPU settings without --gpu: " + confs);

        int j = cmd.indexOf(jar.toString());
        assertTrue(j > 0, "job jar in the command: " + cmd);
        assertEquals(List.of("train-classifier", "--conf", "cluster.conf", "--conf", "site.conf",
                "--set", "dataset.root=hdfs:///data/voc", "--set", "storage.secret-key=****",
                "--run-dir", "hdfs:///runs/r1"), cmd.subList(j + 1, cmd.size()), "CLI args after the jar");
    }

    @Test
    void dryRunMasksEverySecretWordAndUriCredentialsButNoOrdinaryKey() throws Exception {
        Path jar = jobJar();
        Result r = submit(Map.of("WSSS_JOB_JAR", jar.toString()), "ingest",
                "--spark-conf", "spark.driver.extraJavaOptions=-Dmy.pass=pw1 -Dpasswd=pw2 -Dapp.apiKey=pw3 "
                        + "-Dclassifier.max-positive-weight=7 -Dspark.yarn.keytab=/etc/k.keytab -Dcrf.passes=2",
                "--spark-conf", "spark.hadoop.fs.s3a.session.token=pw4",
                "--set", "dataset.root=s3a://AKIAXYZ:pw5/x+y@bucket/voc",
                "--run-dir", "s3a://AKIAXYZ:pw6@bucket/runs", "--dry-run");
        assertEquals(0, r.exit(), r.err());
        for (String secret : List.of("pw1", "pw2", "pw3", "pw4", "pw5", "pw6", "AKIAXYZ")) {
            assertFalse(r.out().contains(secret), "secret '" + secret + "' printed:\n" + r.out());
        }
        List<String> cmd = decodeShellWords(r.out());
        List<String> confs = sparkConfs(cmd);
        assertTrue(javaOptions(confs, "spark.driver.extraJavaOptions").containsAll(List.of("-Dmy.pass=****",
                "-Dpasswd=****", "-Dapp.apiKey=****", "-Dclassifier.max-positive-weight=7",
                "-Dspark.yarn.keytab=/etc/k.keytab", "-Dcrf.passes=2")), confs.toString());
        assertTrue(confs.contains("spark.hadoop.fs.s3a.session.token=****"), confs.toString());
        int j = cmd.indexOf(jar.toString());
        assertEquals(List.of("ingest", "--set", "dataset.root=s3a://***@bucket/voc", "--run-dir",
                "s3a://***@bucket/runs"), cmd.subList(j + 1, cmd.size()), "CLI args after the jar");
    }

    @Test
    void gpuFlagAddsResourceSettingsAndShipsTheDiscoveryScript() throws Exception {
        Path jar = jobJar();
        Path conf = write(tmp.resolve("my.conf"), "runtime.progress-seconds = 30\n");
        Result r = submit(Map.of("WSSS_JOB_JAR", jar.toString()), "make-cams", "--gpu", "--executor-cores", "4",
                "--conf", conf.toString(), "--run-dir", "/shared/runs/r2", "--dry-run");
        assertEquals(0, r.exit(), r.err());
        List<String> cmd = decodeShellWords(r.out());
        List<String> confs = sparkConfs(cmd);
        assertTrue(confs.contains("spark.executor.resource.gpu.amount=1"), confs.toString());
        String task = confs.stream().filter(c -> c.startsWith("spark.task.resource.gpu.amount=")).findFirst()
                .orElseThrow(() -> new AssertionError("no spark.task.resource.gpu.amount in " + confs));
        assertEquals(0.25, Double.parseDouble(task.substring(task.indexOf('=') + 1)), 1e-9, "1 / 4 cores");
        assertTrue(confs.contains("spark.executor.resource.gpu.discoveryScript=./discover-gpus.sh"), confs.toString());
        assertEquals("4", valueOf(cmd, "--executor-cores"));
        assertEquals(List.of(conf.toString(), DISCOVER.toString()), Arrays.asList(valueOf(cmd, "--files").split(",")));
        assertEquals("client", valueOf(cmd, "--deploy-mode"));
        int j = cmd.indexOf(jar.toString());
        assertEquals(List.of("make-cams", "--conf", conf.toString(), "--run-dir", "/shared/runs/r2"),
                cmd.subList(j + 1, cmd.size()), "client mode: the driver reads the conf file where it is");
    }

    @Test
    void stageWithShellMetacharactersReachesSparkSubmitLiterally() throws Exception {
        Path jar = jobJar();
        Path sparkHome = tmp.resolve("spark");
        Path fake = write(sparkHome.resolve("bin/spark-submit"),
                "#!/usr/bin/env bash\nprintf '%s\\0' \"$@\" > \"$(dirname \"$0\")/argv\"\n");
        assertTrue(fake.toFile().setExecutable(true));
        Path work = Files.createDirectories(tmp.resolve("work"));
        String stage = "ingest; touch pwned1 $(touch pwned2) `touch pwned3` 'q' \"dq\" * | tee pwned4";
        List<String> args = List.of(stage, "--set", "db.password=hunter2", "--run-dir", "/runs/r3");
        Map<String, String> env = Map.of("WSSS_JOB_JAR", jar.toString(), "SPARK_HOME", sparkHome.toString());

        Result real = submitIn(work, env, args.toArray(String[]::new));
        assertEquals(0, real.exit(), real.err());
        String raw = Files.readString(sparkHome.resolve("bin/argv"), StandardCharsets.UTF_8);
        List<String> argv = new ArrayList<>(Arrays.asList(raw.split("\0")));
        int j = argv.indexOf(jar.toString());
        assertEquals(List.of(stage, "--set", "db.password=hunter2", "--run-dir", "/runs/r3"),
                argv.subList(j + 1, argv.size()), "spark-submit gets the real values, unchanged");
        assertTrue(argv.contains("wsss-" + stage), "the app name holds the stage literally: " + argv);
        try (Stream<Path> files = Files.list(work)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).toList(), "nothing ran in " + work);
        }

        // The dry run prints exactly that command (with SPARK_HOME's spark-submit), only the secret masked.
        List<String> printed = decodeShellWords(submitIn(work, env, append(args, "--dry-run")).out());
        List<String> expected = new ArrayList<>(Arrays.asList(raw.split("\0")));
        expected.add(0, sparkHome.resolve("bin/spark-submit").toString());
        expected.set(expected.indexOf("db.password=hunter2"), "db.password=****");
        assertEquals(expected, printed);
    }

    @Test
    void badInvocationsFailWithTheReason() throws Exception {
        Map<String, String> env = Map.of("WSSS_JOB_JAR", jobJar().toString());
        assertFails(submit(env, "ingest", "--dry-run"), "--run-dir DIR is required");
        assertFails(submit(env, "--run-dir", "/r", "--dry-run"), "first argument must be the stage");
        Path missing = tmp.resolve("nope.conf");
        assertFails(submit(env, "ingest", "--conf", missing.toString(), "--run-dir", "/r", "--dry-run"),
                "--conf " + missing + ": no such file");
        assertFails(submit(env, "ingest", "--deploy-mode", "remote", "--run-dir", "/r", "--dry-run"),
                "--deploy-mode must be client or cluster, got 'remote'");
        assertFails(submit(env, "ingest", "--deploy-mode", "cluster", "--run-dir", "runs/x", "--dry-run"),
                "--run-dir 'runs/x'");
        assertFails(submit(env, "ingest", "--frobnicate", "--run-dir", "/r", "--dry-run"),
                "unknown argument '--frobnicate'");
        assertFails(submit(Map.of("WSSS_JOB_JAR", env.get("WSSS_JOB_JAR"), "WSSS_DRIVER_OFFHEAP_MEMORY", "4G -Dx=1"),
                "ingest", "--run-dir", "/r", "--dry-run"), "WSSS_DRIVER_OFFHEAP_MEMORY='4G -Dx=1' is not a size");
        assertFails(submit(Map.of("WSSS_JOB_JAR", tmp.resolve("absent.jar").toString()),
                "ingest", "--run-dir", "/r", "--dry-run"), "WSSS_JOB_JAR=" + tmp.resolve("absent.jar"));
    }

    // ---- deploy/gpu/discover-gpus.sh ----

    @Test
    void discoveryScriptReportsNvidiaSmiIndicesOrAnEmptyList() throws Exception {
        ProcessBuilder none = new ProcessBuilder(DISCOVER.toString());
        cleanEnv(none).put("NVIDIA_SMI", tmp.resolve("no-such-nvidia-smi").toString());
        Result r = run(none);
        assertEquals(0, r.exit(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("gpu", json.get("name").asText());
        assertTrue(json.get("addresses").isArray() && json.get("addresses").isEmpty(), r.out());

        Path smi = write(tmp.resolve("nvidia-smi"), """
                #!/bin/sh
                [ "$1" = "--query-gpu=index" ] && [ "$2" = "--format=csv,noheader" ] || exit 9
                printf '0\\n1\\n'
                """);
        assertTrue(smi.toFile().setExecutable(true));
        ProcessBuilder two = new ProcessBuilder(DISCOVER.toString());
        cleanEnv(two).put("NVIDIA_SMI", smi.toString());
        r = run(two);
        assertEquals(0, r.exit(), r.err());
        json = new ObjectMapper().readTree(r.out());
        assertEquals("gpu", json.get("name").asText());
        assertEquals(List.of("0", "1"), strings(json.get("addresses")));
        json.get("addresses").forEach(a -> assertTrue(a.isTextual(), "Spark wants string addresses: " + a));
    }

    // ---- deploy/capacity/lid-capacity.py ----

    /**
     * The capacity model's rows against sums done by hand, with inputs chosen so that each row has one term: 2
     * executors of 1 core, ingest 10 ms an image (456,567 x 0.01 / 2 = 2,283 s = 38 min), the affinity labels' two
     * CRFs at 0.5 s (456,567 s = 63.4 h), make-cams on a GPU as fast as the set (0.5 s), and the classifier's averaging
     * alone: ceil(456,567 / (2 workers x 16 x 1)) = 14,268 rounds of 1 s = 4.0 h.
     */
    @Test
    void capacityModelRowsAreTheHandComputedSums() throws Exception {
        Path script = ROOT.resolve("deploy/capacity/lid-capacity.py");
        ProcessBuilder pb = new ProcessBuilder("python3", script.toString(), "--executors", "2", "--cores", "1",
                "--plumbing", "0", "--cpu-ingest", "0.01", "--cpu-decode", "0", "--cpu-crf", "0.5",
                "--gpu-cams", "456567", "--classifier-epochs", "1", "--batch", "16", "--averaging-frequency", "1",
                "--gpu-classifier-train", "1e12", "--round-fixed-s", "1", "--round-per-float-s", "0",
                "--resnet50-floats", "0", "--image-bytes", "0");
        cleanEnv(pb);
        Result r = run(pb);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("\n| ingest | 38 min | CPU (read, decode) |"), r.out());
        assertTrue(r.out().contains("\n| make-affinity-labels (2 CRFs) | 63.4 h | CPU (CRF) |"), r.out());
        assertTrue(r.out().contains("\n| make-cams (4 scales + flip) | 0 min | GPU |"), r.out());
        assertTrue(r.out().contains("\n| train-classifier (ResNet-50, 1 epoch) | 4.0 h | averaging (driver) |"),
                r.out());
    }

    // ---- helpers ----

    private Path jobJar() throws IOException {
        Path jar = tmp.resolve("wsss-spark-jobs-9.9.9-job.jar");
        return Files.exists(jar) ? jar : Files.write(jar, new byte[]{'P', 'K'});
    }

    private Result submit(Map<String, String> env, String... args) throws Exception {
        return submitIn(tmp, env, args);
    }

    private static Result submitIn(Path cwd, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(SUBMIT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        cleanEnv(pb).putAll(env);
        return run(pb);
    }

    private static Map<String, String> cleanEnv(ProcessBuilder pb) {
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("WSSS_") || k.equals("SPARK_HOME") || k.equals("NVIDIA_SMI"));
        return env;
    }

    private static Result run(ProcessBuilder pb) throws Exception {
        Path out = Files.createTempFile("deploy-it", ".out"), err = Files.createTempFile("deploy-it", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out: " + pb.command());
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static void assertFails(Result r, String reason) {
        assertEquals(2, r.exit(), "exit status; stderr: " + r.err());
        assertTrue(r.err().contains(reason), "stderr should say '" + reason + "': " + r.err());
        assertEquals("", r.out(), "nothing on stdout");
    }

    /** Words of a command printed with bash's printf %q and ' \' line continuations (no $'..' forms). */
    static List<String> decodeShellWords(String printed) {
        String text = printed.replace(" \\\n", " ").strip();
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                w.append(text.charAt(++i));
                inWord = true;
            } else if (c == ' ' || c == '\n') {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else if (c == '\'' || c == '"' || c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                throw new AssertionError("unexpected shell quoting at " + i + " in: " + text);
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }

    private static String valueOf(List<String> cmd, String option) {
        int i = cmd.indexOf(option);
        assertTrue(i >= 0 && i + 1 < cmd.size(), "no " + option + " in " + cmd);
        return cmd.get(i + 1);
    }

    /** spark-submit --conf values (before the jar; the CLI's own --conf come after it). */
    private static List<String> sparkConfs(List<String> cmd) {
        List<String> confs = new ArrayList<>();
        for (int i = 0; i + 1 < cmd.size() && !cmd.get(i).endsWith(".jar"); i++) {
            if (cmd.get(i).equals("--conf")) {
                confs.add(cmd.get(++i));
            }
        }
        return confs;
    }

    private static List<String> javaOptions(List<String> confs, String key) {
        List<String> matching = confs.stream().filter(c -> c.startsWith(key + "=")).toList();
        assertEquals(1, matching.size(), key + " once in " + confs);
        return Arrays.asList(matching.get(0).substring(key.length() + 1).split(" "));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String[] append(List<String> args, String more) {
        List<String> all = new ArrayList<>(args);
        all.add(more);
        return all.toArray(String[]::new);
    }

    private static int count(String text, String regex) {
        return (int) Pattern.compile(regex).matcher(text).results().count();
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, exe)));
    }

    private static Path findRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("deploy/bin/submit"))) {
                return p;
            }
        }
        throw new IllegalStateException("deploy/bin/submit not found above " + Path.of("").toAbsolutePath());
    }
}
