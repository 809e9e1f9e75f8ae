package org.wsss.data;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Image ids are data read from split lists: they name a file inside the dataset's image folder and must never
 * steer a path anywhere else. {@link #problem} says why a listed id cannot be used; {@link #fileName} is the one
 * way an output file name is derived from an id.
 */
public final class ImageIds {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private ImageIds() {
    }

    /**
     * Why {@code id} cannot name a file inside its image folder, or null when it can. LID ids hold sub-folders
     * ({@code ILSVRC2013_train/n01440764/n01440764_10026}), so '/' between plain names is legitimate; an empty,
     * '.' or '..' segment, a leading '/', a backslash, a ':' (Hadoop would parse it as a URI scheme) or a
     * control character is not.
     */
    public static String problem(String id) {
        if (id.isEmpty()) {
            return "image id is empty";
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "image id '" + printable(id) + "' contains the control character U+"
                        + String.format("%04X", (int) c);
            }
        }
        if (id.startsWith("/")) {
            return "image id '" + id + "' is an absolute path; ids are paths relative to the image folder";
        }
        if (id.indexOf('\\') >= 0) {
            return "image id '" + id + "' contains '\\'; only '/' separates folders in an id";
        }
        if (id.indexOf(':') >= 0) {
            return "image id '" + id + "' contains ':', which a Hadoop path reads as a URI scheme";
        }
        for (String segment : id.split("/", -1)) {
            if (segment.equals("..")) {
                return "image id '" + id + "' has a '..' segment and could resolve outside its image folder";
            }
            if (segment.isEmpty() || segment.equals(".")) {
                return "image id '" + id + "' has an empty or '.' path segment; ids are plain relative paths";
            }
        }
        return null;
    }

    /**
     * The file-name stem for {@code id}: [A-Za-z0-9_-] kept, every other UTF-8 byte (including '.', '/' and '%')
     * written %XX. It never holds a separator, a '..' or a leading dot, and {@link #fromFileName} reverses it.
     */
    public static String fileName(String id) {
        if (id.isEmpty()) {
            throw new IllegalArgumentException("image id is empty: no file name can be derived from it");
        }
        StringBuilder sb = new StringBuilder(id.length() + 8);
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return sb.toString();
    }

    /** The id a {@link #fileName} stem was made from. */
    public static String fromFileName(String stem) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(stem.length());
        for (int i = 0; i < stem.length(); i++) {
            char c = stem.charAt(i);
            if (c == '%') {
                if (i + 2 >= stem.length()) {
                    throw new IllegalArgumentException("'" + stem + "' is not an encoded image id: '%' at "
                            + i + " without two hex digits");
                }
                out.write(Integer.parseInt(stem.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String printable(String id) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? String.format("\\u%04X", (int) c) : String.valueOf(c));
        }
        return sb.toString();
    }
}
