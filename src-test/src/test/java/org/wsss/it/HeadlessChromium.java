package org.wsss.it;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Serves a folder on 127.0.0.1 and loads a page of it in headless Debian Chromium. The served page gets a
 * script that, once the page and its images have loaded, marks every image with data-loaded="yes" (decoded,
 * naturalWidth &gt; 0) or "no", and every {@code svg.chart} with its laid-out size (data-box="WxH") and the series
 * and points drawn inside it (data-drawn-series, data-drawn-points); {@link #loadedDom} returns the DOM Chromium
 * dumps after that.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/chromium");

    private static final String MARKER_SCRIPT = "<script>window.addEventListener('load', function () {"
            + " for (const i of document.images) { i.setAttribute('data-loaded',"
            + " i.complete && i.naturalWidth > 0 ? 'yes' : 'no'); }"
            + " document.body.setAttribute('data-images-checked', String(document.images.length));"
            // Charts: the laid-out size of each svg.chart, and its series and points that the browser drew with a
            // box (a zero-height bar still has its width) inside the chart's own box.
            + " const charts = document.querySelectorAll('svg.chart');"
            + " for (const c of charts) { const b = c.getBoundingClientRect(); let series = 0, points = 0;"
            + " for (const g of c.querySelectorAll('g.series')) { let n = 0;"
            + " for (const p of g.querySelectorAll('.point')) { const r = p.getBoundingClientRect();"
            + " if ((r.width > 0 || r.height > 0) && r.left >= b.left - 1 && r.right <= b.right + 1"
            + " && r.top >= b.top - 1 && r.bottom <= b.bottom + 1) { n++; } }"
            + " points += n; if (n > 0) { series++; } }"
            + " c.setAttribute('data-box', Math.round(b.width) + 'x' + Math.round(b.height));"
            + " c.setAttribute('data-drawn-series', String(series));"
            + " c.setAttribute('data-drawn-points', String(points)); }"
            + " document.body.setAttribute('data-charts-checked', String(charts.length)); });</script>";

    private final HttpServer server;
    private final Path profile;
    /** Request path -> HTTP status of every request served. */
    final Map<String, Integer> served = new ConcurrentHashMap<>();

    HeadlessChromium(Path root, Path scratch) throws IOException {
        assertTrue(Files.isExecutable(BINARY), "headless Chromium is needed at " + BINARY + " to check the report "
                + "page in a browser: run the tests with deploy/bin/test (it installs chromium as root with "
                + "apt-get), or install it with `apt-get install -y chromium`");
        this.profile = Files.createDirectories(scratch.resolve("chromium-profile"));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        Path base = root.toAbsolutePath().normalize();
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            Path file = base.resolve(path.substring(1)).normalize();
            int status;
            byte[] body;
            if (!file.startsWith(base) || !Files.isRegularFile(file)) {
                status = 404;
                body = new byte[0];
            } else {
                status = 200;
                body = Files.readAllBytes(file);
                if (path.endsWith(".html")) {
                    body = new String(body, StandardCharsets.UTF_8).replace("</body>", MARKER_SCRIPT + "</body>")
                            .getBytes(StandardCharsets.UTF_8);
                }
                exchange.getResponseHeaders().set("Content-Type", contentType(path));
            }
            served.put(path, status);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    String url(String page) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + page;
    }

    /** The DOM of {@code page} after its load event, as Chromium serialises it. */
    String loadedDom(String page) throws Exception {
        return run("--virtual-time-budget=15000", "--dump-dom", url(page));
    }

    private String run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile));
        Collections.addAll(cmd, args);
        Path out = Files.createTempFile(profile.getParent(), "chromium", ".out");
        Path err = Files.createTempFile(profile.getParent(), "chromium", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish in 90 s: " + cmd + "\n" + Files.readString(err));
        }
        if (p.exitValue() != 0) {
            fail("chromium exited with " + p.exitValue() + ": " + cmd + "\n" + Files.readString(err));
        }
        return Files.readString(out);
    }

    private static String contentType(String path) {
        if (path.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (path.endsWith(".png")) {
            return "image/png";
        }
        return path.endsWith(".jpg") ? "image/jpeg" : "application/octet-stream";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
