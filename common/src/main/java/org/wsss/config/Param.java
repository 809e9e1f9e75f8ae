package org.wsss.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One tunable: its key, what it means, its default, its type and what values are valid. All of them are
 * declared in {@link Params}; {@code conf/reference.conf} is rendered from those declarations.
 */
public final class Param<T> {

    /** The value types a configuration key can have. */
    public enum Type { STRING, INT, LONG, DOUBLE, BOOLEAN, STRING_LIST, INT_LIST, DOUBLE_LIST }

    private final String key;
    private final String doc;
    private final Type type;
    private final T defaultValue;
    private final Predicate<T> validator;
    private final String validDoc;

    Param(String key, String doc, Type type, T defaultValue, Predicate<T> validator, String validDoc) {
        this.key = Objects.requireNonNull(key);
        this.doc = Objects.requireNonNull(doc);
        this.type = type;
        this.defaultValue = Objects.requireNonNull(defaultValue, key);
        this.validator = validator;
        this.validDoc = validDoc;
        if (!validator.test(defaultValue)) {
            throw new IllegalStateException("default of " + key + " is not valid: " + defaultValue);
        }
    }

    public String key() {
        return key;
    }

    public String doc() {
        return doc;
    }

    public Type type() {
        return type;
    }

    public T defaultValue() {
        return defaultValue;
    }

    /** Human description of the valid values, e.g. "one of [voc, lid, synthetic]" or "> 0". */
    public String validDoc() {
        return validDoc;
    }

    /** Reads, type-checks and validates this key from a resolved config that contains it. */
    @SuppressWarnings("unchecked")
    public T read(Config config) {
        T value;
        try {
            value = (T) switch (type) {
                case STRING -> config.getString(key);
                case INT -> integral(config.getNumber(key), config.getInt(key));
                case LONG -> integral(config.getNumber(key), config.getLong(key));
                case DOUBLE -> config.getDouble(key);
                case BOOLEAN -> config.getBoolean(key);
                case STRING_LIST -> List.copyOf(config.getStringList(key));
                case INT_LIST -> {
                    for (Number n : config.getNumberList(key)) {
                        integral(n, 0);
                    }
                    yield List.copyOf(config.getIntList(key));
                }
                case DOUBLE_LIST -> List.copyOf(config.getDoubleList(key));
            };
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw new IllegalArgumentException("config key '" + key + "' has value "
                    + SecretMask.value(key, render(config.getValue(key)))
                    + originOf(config.getValue(key)) + ", which is not " + typeName() + " (" + doc + ")", e);
        }
        if (!validator.test(value)) {
            throw new IllegalArgumentException("config key '" + key + "' has value "
                    + SecretMask.value(key, render(config.getValue(key)))
                    + originOf(config.getValue(key)) + ", which is out of range: must be " + validDoc);
        }
        return value;
    }

    /**
     * {@code value} if {@code n} has no fraction. Typesafe Config truncates 1.5 to 1 for getInt; a count of epochs
     * or pixels given as 1.5 is a mistake to report, not a value to change.
     */
    private <N> N integral(Number n, N value) {
        if ((n instanceof Double || n instanceof Float) && n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new ConfigException.BadValue(key, n + " has a fraction");
        }
        return value;
    }

    String typeName() {
        return switch (type) {
            case STRING -> "a string";
            case INT -> "an integer";
            case LONG -> "a long integer";
            case DOUBLE -> "a number";
            case BOOLEAN -> "a boolean";
            case STRING_LIST -> "a list of strings";
            case INT_LIST -> "a list of integers";
            case DOUBLE_LIST -> "a list of numbers";
        };
    }

    static String render(ConfigValue v) {
        return v.render(com.typesafe.config.ConfigRenderOptions.concise());
    }

    private static String originOf(ConfigValue v) {
        String d = v.origin() == null ? null : v.origin().description();
        return d == null || d.isEmpty() ? "" : " (from " + d + ")";
    }

    @Override
    public String toString() {
        return key;
    }
}
