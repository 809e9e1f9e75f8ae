package org.wsss.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;

import java.io.File;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link Settings} from HOCON files and {@code key=value} overrides, later ones winning, on top of the
 * defaults in {@link Params}. Fails before any Spark work: an unknown key, a wrong type or an out-of-range
 * value throws {@link IllegalArgumentException} naming the key and the value; a bad combination of valid
 * values throws {@link IllegalStateException}.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    public static Settings load(List<String> confFiles, List<String> overrides) {
        Config user = ConfigFactory.empty();
        for (String file : confFiles) {
            user = parseFile(file).withFallback(user);
        }
        for (String kv : overrides) {
            user = parseOverride(kv).withFallback(user);
        }
        try {
            user = user.resolve();
        } catch (ConfigException e) {
            throw new IllegalArgumentException("configuration cannot be resolved: " + e.getMessage(), e);
        }
        rejectUnknownKeys(user);
        Config merged = user.withFallback(defaults()).resolve();
        Settings settings = Settings.of(merged);
        checkCombinations(settings);
        return settings;
    }

    static Config parseFile(String file) {
        File f = new File(file);
        if (!f.isFile()) {
            throw new IllegalArgumentException("--conf " + file + ": no such file");
        }
        try {
            return ConfigFactory.parseFile(f, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF)
                    .setAllowMissing(false));
        } catch (ConfigException e) {
            throw new IllegalArgumentException("--conf " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code key=value}. A value starting with '[' or '{' or '"' is parsed as HOCON (lists, quoted strings);
     * anything else is taken verbatim as a string (so paths like hdfs://nn/x survive), and typed reads convert
     * it ("4" is a fine integer).
     */
    static Config parseOverride(String kv) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--set " + kv + ": expected key=value");
        }
        String key = kv.substring(0, eq).trim();
        String raw = kv.substring(eq + 1).trim();
        try {
            ConfigUtil.splitPath(key);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("--set " + kv + ": '" + key + "' is not a valid config key", e);
        }
        ConfigValue value;
        if (raw.startsWith("[") || raw.startsWith("{") || raw.startsWith("\"")) {
            try {
                value = ConfigFactory.parseString("v = " + raw,
                        ConfigParseOptions.defaults().setOriginDescription("--set " + key)).getValue("v");
            } catch (ConfigException e) {
                throw new IllegalArgumentException("--set " + kv + ": value of '" + key + "' is not valid HOCON: "
                        + e.getMessage(), e);
            }
        } else {
            value = ConfigValueFactory.fromAnyRef(raw, "--set " + key);
        }
        return ConfigFactory.empty().withValue(key, value);
    }

    static Config defaults() {
        Config c = ConfigFactory.empty();
        for (Param<?> p : Params.all()) {
            c = c.withValue(p.key(), ConfigValueFactory.fromAnyRef(p.defaultValue(), "default"));
        }
        return c;
    }

    private static void rejectUnknownKeys(Config user) {
        for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
            String key = e.getKey();
            if (Params.byKey(key) == null) {
                String origin = e.getValue().origin() == null ? "" : " (from " + e.getValue().origin().description() + ")";
                throw new IllegalArgumentException("unknown config key '" + key + "' with value "
                        + SecretMask.value(key, Param.render(e.getValue())) + origin + suggestion(key)
                        + "; every key is listed in conf/reference.conf");
            }
        }
    }

    private static String suggestion(String key) {
        return Params.all().stream().map(Param::key)
                .min(Comparator.comparingInt(k -> editDistance(k, key)))
                .filter(k -> editDistance(k, key) <= Math.max(3, key.length() / 4))
                .map(k -> "; did you mean '" + k + "'?").orElse("");
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static void checkCombinations(Settings s) {
        String format = s.get(Params.Dataset.FORMAT);
        if (!format.equals("synthetic") && s.get(Params.Dataset.ROOT).isBlank()) {
            throw new IllegalStateException("dataset.format = " + format + " needs dataset.root (the dataset folder)");
        }
        List<String> classes = new ArrayList<>(s.get(Params.Dataset.CLASSES));
        if (format.equals("synthetic") && !classes.isEmpty()) {
            throw new IllegalStateException("dataset.classes = " + classes
                    + " cannot be set with dataset.format = synthetic: the generator has its own classes");
        }
        if (format.equals("synthetic") && !s.get(Params.Dataset.POINTS).isBlank()) {
            throw new IllegalStateException("dataset.points = " + s.get(Params.Dataset.POINTS)
                    + " cannot be used with dataset.format = synthetic: the generator makes one point per instance");
        }
    }
}
