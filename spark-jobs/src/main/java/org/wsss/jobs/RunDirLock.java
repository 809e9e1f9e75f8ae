package org.wsss.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.util.ShutdownHookManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code <run-dir>/_LOCK}: one writer per run directory. Created only if absent (atomically: O_CREAT|O_EXCL on a
 * local disk, a create without overwrite on HDFS), it names its holder (host, pid, start time, command). A second
 * writer is refused naming the holder; a lock whose holder was on this host and is no longer running (a SIGKILL)
 * is taken over with a log line. Released on close and, for a signal, by a shutdown hook that runs before
 * Hadoop closes its file systems.
 */
public final class RunDirLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunDirLock.class);
    public static final String FILE = "_LOCK";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Who holds a lock, as written in the file. */
    public record Holder(String host, long pid, String started, String command, String token) {
        String describe() {
            return "`" + command + "` (pid " + pid + " on host " + host + ", since " + started + ")";
        }
    }

    private final FileSystem fs;
    private final Path file;
    private final String token;
    private final Runnable hook;
    private boolean released;

    private RunDirLock(FileSystem fs, Path file, String token) {
        this.fs = fs;
        this.file = file;
        this.token = token;
        this.hook = this::close;
        // Before FileSystem's own hook closes the cached file systems (a later priority runs first).
        ShutdownHookManager.get().addShutdownHook(hook, FileSystem.SHUTDOWN_HOOK_PRIORITY + 1);
    }

    /**
     * Takes the lock of {@code runDir} for {@code command}, creating the run directory if needed.
     *
     * @throws IllegalStateException (one line) naming the holder when another process holds it
     */
    public static RunDirLock acquire(FileSystem fs, Path runDir, String command) throws IOException {
        if (fs.exists(runDir) && !fs.getFileStatus(runDir).isDirectory()) {
            throw new IllegalStateException("run directory " + runDir + " is a file, not a directory");
        }
        if (!fs.mkdirs(runDir)) {
            throw new IllegalStateException("run directory " + runDir + " could not be created");
        }
        Path file = new Path(runDir, FILE);
        Holder me = new Holder(hostName(), ProcessHandle.current().pid(), Instant.now().toString(), command,
                UUID.randomUUID().toString());
        byte[] content = json(me).getBytes(StandardCharsets.UTF_8);
        for (int attempt = 0; attempt < 3; attempt++) {
            if (createNew(fs, file, content)) {
                return new RunDirLock(fs, file, me.token());
            }
            String text = read(fs, file);
            if (text == null) {
                continue; // released between our create and our read
            }
            Holder h = parse(text);
            if (h == null) {
                throw new IllegalStateException("run directory " + runDir + " is locked by " + file + ", which "
                        + "cannot be read; delete it if no wsss process is using this run directory");
            }
            if (!gone(h, me.host())) {
                throw new IllegalStateException("run directory " + runDir + " is in use by " + h.describe()
                        + "; wait for it to finish, or delete " + file + " if that process is gone");
            }
            takeOver(fs, file, text, h);
        }
        throw new IllegalStateException("run directory " + runDir + " could not be locked: " + file
                + " kept changing (several processes starting at once?)");
    }

    /** Releases the lock if this process still holds it; idempotent. */
    @Override
    public synchronized void close() {
        if (released) {
            return;
        }
        released = true;
        if (!ShutdownHookManager.get().isShutdownInProgress()) {
            ShutdownHookManager.get().removeShutdownHook(hook);
        }
        try {
            String text = read(fs, file);
            Holder h = text == null ? null : parse(text);
            if (h != null && token.equals(h.token())) {
                fs.delete(file, false);
            } else {
                LOG.warn("run-dir lock {} is no longer ours (taken over or removed); left as it is", file);
            }
        } catch (IOException e) {
            LOG.warn("could not release the run-dir lock {}: {}", file, e.toString());
        }
    }

    /** The holder ran on this host and its process is gone (or the pid now belongs to a younger process). */
    static boolean gone(Holder h, String thisHost) {
        if (!h.host().equals(thisHost)) {
            return false; // cannot see another host's processes
        }
        Optional<ProcessHandle> p = ProcessHandle.of(h.pid());
        if (p.isEmpty() || !p.get().isAlive()) {
            return true;
        }
        Optional<Instant> procStart = p.get().info().startInstant();
        try {
            Instant locked = Instant.parse(h.started());
            // A process started after the lock was taken cannot have taken it: the pid was reused.
            return procStart.isPresent() && procStart.get().isAfter(locked.plusSeconds(2));
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    private static void takeOver(FileSystem fs, Path file, String staleText, Holder stale) throws IOException {
        // Move the stale file aside (an atomic rename: of two processes taking over, one wins), then check that
        // what was moved is the stale lock and not a fresh one another process took in between.
        Path aside = new Path(file.getParent(), "." + FILE + "." + UUID.randomUUID() + ".stale");
        if (!fs.rename(file, aside)) {
            return;
        }
        String moved = read(fs, aside);
        if (staleText.equals(moved)) {
            LOG.warn("run-dir lock {} was held by {}, which is no longer running; taking it over", file,
                    stale.describe());
            fs.delete(aside, false);
        } else if (moved != null && !fs.exists(file)) {
            fs.rename(aside, file); // it was fresh: put it back
        }
    }

    private static boolean createNew(FileSystem fs, Path file, byte[] content) throws IOException {
        if (fs instanceof RawLocalFileSystem local) {
            try {
                Files.write(local.pathToFile(file).toPath(), content, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
        }
        try (FSDataOutputStream out = fs.create(file, false)) {
            out.write(content);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    private static String read(FileSystem fs, Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.FileNotFoundException e) {
            return null;
        }
    }

    /** The holder in a lock file, or null when it cannot be read (empty, cut short, edited). */
    static Holder parse(String text) {
        try {
            Map<?, ?> m = JSON.readValue(text, Map.class);
            if (m.get("host") instanceof String host && m.get("pid") instanceof Number pid
                    && m.get("started") instanceof String started && m.get("command") instanceof String command) {
                return new Holder(host, pid.longValue(), started, command, String.valueOf(m.get("token")));
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown-host");
        }
    }

    /** What a lock file holds for a holder (tests write stale and foreign locks with it). */
    static String json(Holder h) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", h.host());
        m.put("pid", h.pid());
        m.put("started", h.started());
        m.put("command", h.command());
        m.put("token", h.token());
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m);
    }
}
