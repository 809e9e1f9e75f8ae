package org.wsss.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders {@code conf/reference.conf} from {@link Params}: every key with its doc, valid values and default.
 * A test keeps the committed file equal to this rendering.
 */
public final class ReferenceConf {
    private ReferenceConf() {
    }

    public static String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("# wsss-spark: every configuration key, its default and what it means.\n");
        sb.append("# Generated from org.wsss.config.Params by `deploy/bin/wsss config --reference`;\n");
        sb.append("# change Params and regenerate, do not edit by hand. Override keys with --conf FILE (HOCON)\n");
        sb.append("# or --set key=value; an unknown key, a wrong type or an out-of-range value is an error.\n");
        String section = null;
        for (Param<?> p : Params.all()) {
            String s = sectionOf(p.key());
            if (!s.equals(section)) {
                sb.append("\n# ---- ").append(s).append(" ----\n");
                section = s;
            }
            sb.append('\n');
            for (String line : wrap(p.doc() + " Valid: " + p.validDoc() + ".", 110)) {
                sb.append("# ").append(line).append('\n');
            }
            sb.append(p.key()).append(" = ").append(Settings.renderValue(p.defaultValue())).append('\n');
        }
        return sb.toString();
    }

    private static String sectionOf(String key) {
        int last = key.lastIndexOf('.');
        return last < 0 ? key : key.substring(0, last);
    }

    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
