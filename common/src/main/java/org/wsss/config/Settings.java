package org.wsss.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A validated configuration: every key of {@link Params} with its value (user's or default). Immutable and
 * serializable, so it travels to executors. Built by {@link ConfigLoader}.
 */
public final class Settings implements Serializable {

    private final LinkedHashMap<String, Object> values;

    Settings(LinkedHashMap<String, Object> values) {
        this.values = values;
    }

    /** All defaults. */
    public static Settings defaults() {
        return ConfigLoader.load(java.util.List.of(), java.util.List.of());
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Param<T> param) {
        if (!values.containsKey(param.key())) {
            throw new IllegalStateException("config key not loaded: " + param.key());
        }
        return (T) values.get(param.key());
    }

    public Map<String, Object> asMap() {
        return java.util.Collections.unmodifiableMap(values);
    }

    /** Values of the keys under the given prefixes, rendered as sorted 'key = value' lines. */
    public String render(Collection<String> prefixes) {
        StringBuilder sb = new StringBuilder();
        values.entrySet().stream()
                .filter(e -> prefixes.stream().anyMatch(p -> e.getKey().equals(p) || e.getKey().startsWith(p + ".")))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> sb.append(e.getKey()).append(" = ").append(renderValue(e.getValue())).append('\n'));
        return sb.toString();
    }

    /** SHA-256 of {@link #render} over the given prefixes: what a stage's output fingerprint includes. */
    public String fingerprint(Collection<String> prefixes) {
        return sha256(render(prefixes));
    }

    public static String sha256(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The whole config, one 'key = value' line per key, secrets masked by {@link SecretMask}: what `wsss config`
     * prints and {@code _STAGE.json} records. Fingerprints use {@link #render}, the real values.
     */
    public String toHocon() {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(k).append(" = ").append(SecretMask.value(k, renderValue(v)))
                .append('\n'));
        return sb.toString();
    }

    static String renderValue(Object v) {
        return com.typesafe.config.ConfigValueFactory.fromAnyRef(v).render(ConfigRenderOptions.concise());
    }

    static Settings of(Config resolved) {
        LinkedHashMap<String, Object> v = new LinkedHashMap<>();
        for (Param<?> p : Params.all()) {
            v.put(p.key(), p.read(resolved));
        }
        return new Settings(v);
    }
}
