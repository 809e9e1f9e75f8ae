package org.wsss.config;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Hides secrets wherever settings are printed or recorded (`wsss config`, the config in {@code _STAGE.json},
 * error messages echoing a value). Two rules:
 * <ul>
 *   <li>the user-info of a URI, {@code s3a://KEY:SECRET@bucket/x} -> {@code s3a://***@bucket/x};</li>
 *   <li>the whole value ({@code ****}) of a key one of whose words (split at anything not a letter or digit, and at camelCase)
 *       ends with pass, passwd, password, passphrase, pwd, secret(s), token(s), key(s) or credential(s):
 *       {@code my.pass}, {@code fs.s3a.secret.key}, {@code apikey}, {@code accessKey}, {@code db_password}, but
 *       not {@code classifier.max-positive-weight}, {@code spark.yarn.keytab} or {@code crf.passes}.</li>
 * </ul>
 * deploy/bin/submit applies the same rules to the spark-submit command it prints.
 */
public final class SecretMask {
    /** What a secret key's value shows (as deploy/bin/submit prints it). */
    public static final String MASK = "****";
    /** What a URI's user-info shows. */
    public static final String USER_INFO_MASK = "***";

    private static final Pattern CAMEL = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])");
    private static final Pattern WORD_SPLIT = Pattern.compile("[^a-z0-9]+");
    private static final Pattern SECRET_WORD = Pattern.compile(
            ".*(pass|passwd|password|passphrase|pwd|secrets?|tokens?|keys?|credentials?)");
    /*
     * scheme://userinfo@ where userinfo is either user:password (a password may hold a raw '/', as unencoded
     * AWS secrets do, so up to the '@') or a bare user without '/', '?', '#'. Erring towards masking: a path
     * holding '@' after host:port is masked too much, never too little.
     */
    private static final Pattern URI_USER_INFO = Pattern.compile(
            "([A-Za-z][A-Za-z0-9+.-]*://)(?:[^/?#@\\s:\"',\\[\\]]*:[^@\\s\"',\\[\\]]*|[^/?#@\\s:\"',\\[\\]]+)@");

    private SecretMask() {
    }

    /** True when the key names a secret by the word rule above. */
    public static boolean isSecretKey(String key) {
        String words = CAMEL.matcher(key).replaceAll(".").toLowerCase(Locale.ROOT);
        for (String w : WORD_SPLIT.split(words)) {
            if (!w.isEmpty() && SECRET_WORD.matcher(w).matches()) {
                return true;
            }
        }
        return false;
    }

    /** The text with the user-info of every URI in it replaced by {@link #USER_INFO_MASK}. */
    public static String maskUris(String text) {
        return URI_USER_INFO.matcher(text).replaceAll("$1" + java.util.regex.Matcher.quoteReplacement(USER_INFO_MASK) + "@");
    }

    /** The value as it may be shown for that key: {@link #MASK} for a secret key, else with URI user-info masked. */
    public static String value(String key, String renderedValue) {
        return isSecretKey(key) ? MASK : maskUris(renderedValue);
    }
}
