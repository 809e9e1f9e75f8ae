package org.wsss.jobs;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a stage folder holds, as its commit marker records it: every file by path relative to the folder, with its
 * size. Comparing a listing with the record needs one recursive listing and no read of any data, so it stays cheap
 * on an object store with thousands of part files. Hidden files (a name starting with '.', such as Hadoop's .crc
 * side files) are neither recorded nor checked: no reader of a stage output reads them. The marker itself and
 * the running flag are control files, not output.
 */
final class StageFiles {
    private StageFiles() {
    }

    /** The files under {@code dir} by relative path ('/'-separated), with their sizes in bytes. */
    static SortedMap<String, Long> list(FileSystem fs, Path dir) throws IOException {
        String root = fs.makeQualified(dir).toUri().getPath();
        String prefix = root.endsWith("/") ? root : root + "/";
        SortedMap<String, Long> files = new TreeMap<>();
        if (!fs.exists(dir)) {
            return files;
        }
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
        while (it.hasNext()) {
            LocatedFileStatus st = it.next();
            String path = st.getPath().toUri().getPath();
            if (!path.startsWith(prefix)) {
                throw new IOException("listing " + dir + " returned " + st.getPath() + ", which is not under it");
            }
            String rel = path.substring(prefix.length());
            if (recorded(rel)) {
                files.put(rel, st.getLen());
            }
        }
        return files;
    }

    private static boolean recorded(String rel) {
        if (rel.equals(StageMarker.FILE) || rel.equals(StageRunner.RUNNING)) {
            return false;
        }
        for (String part : rel.split("/")) {
            if (part.startsWith(".")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Rows of each Parquet table the stage wrote (a top-level folder holding .parquet files), counted by Spark
     * from the Parquet footers. Recorded for readers and people; the commit check itself compares sizes only.
     */
    static SortedMap<String, Long> parquetRows(JobContext ctx, Path dir, Map<String, Long> files) {
        TreeSet<String> tables = new TreeSet<>();
        for (String rel : files.keySet()) {
            int slash = rel.indexOf('/');
            if (rel.endsWith(".parquet") && slash > 0) {
                tables.add(rel.substring(0, slash));
            }
        }
        SortedMap<String, Long> rows = new TreeMap<>();
        for (String table : tables) {
            rows.put(table, ctx.spark().read().parquet(new Path(dir, table).toString()).count());
        }
        return rows;
    }

    /**
     * How {@code actual} differs from {@code recorded}: the first difference (missing, size changed, or a file the
     * stage did not write), plus how many more there are; null when they are the same.
     */
    static String difference(Map<String, Long> recorded, Map<String, Long> actual) {
        List<String> problems = new ArrayList<>();
        recorded.forEach((rel, size) -> {
            Long now = actual.get(rel);
            if (now == null) {
                problems.add(rel + " is missing (recorded " + size + " bytes)");
            } else if (now.longValue() != size) {
                problems.add(rel + " has " + now + " bytes, recorded " + size
                        + (now < size ? " (truncated)" : " (changed)"));
            }
        });
        actual.forEach((rel, size) -> {
            if (!recorded.containsKey(rel)) {
                problems.add(rel + " (" + size + " bytes) was not written by the stage (added after it committed)");
            }
        });
        if (problems.isEmpty()) {
            return null;
        }
        int more = problems.size() - 1;
        return problems.get(0) + (more == 0 ? "" : " (and " + more + " more difference" + (more == 1 ? "" : "s")
                + ")");
    }
}
