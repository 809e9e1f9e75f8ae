package org.wsss.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SecretMaskTest {

    @Test
    void keysWithASecretWordAreSecretAndOrdinaryKeysAreNot() {
        for (String k : List.of("my.pass", "passwd", "db_password", "ssl.passphrase", "fs.s3a.secret.key",
                "spark.hadoop.fs.s3a.access.key", "apikey", "accessKey", "x-api-keys", "auth.token", "oauthToken",
                "gcp.credentials", "aws.credential", "client-secrets", "DB_PWD")) {
            assertTrue(SecretMask.isSecretKey(k), k);
        }
        for (String k : List.of("classifier.max-positive-weight", "spark.yarn.keytab", "crf.passes", "dataset.root",
                "walk.radius", "keystore.type", "tokenizer", "passthrough", "secretary.name")) {
            assertFalse(SecretMask.isSecretKey(k), k);
        }
        // every declared key is ordinary: `wsss config` masks no value that holds no URI credentials
        for (Param<?> p : Params.all()) {
            assertFalse(SecretMask.isSecretKey(p.key()), p.key());
        }
    }

    @Test
    void uriUserInfoIsMaskedAndEverythingElseKept() {
        assertEquals("s3a://***@bucket/voc", SecretMask.maskUris("s3a://AKIA:wJal/rX+Ut@bucket/voc"));
        assertEquals("hdfs://***@nn:8020/x", SecretMask.maskUris("hdfs://alice@nn:8020/x"));
        assertEquals("[\"s3a://***@b/x\",\"s3a://c/y\"]", SecretMask.maskUris("[\"s3a://k:s@b/x\",\"s3a://c/y\"]"));
        for (String plain : List.of("s3a://bucket/a@b.jpg", "/data/a@b/voc", "hdfs://nn:8020/data/voc",
                "file:///tmp/x", "user@example.com")) {
            assertEquals(plain, SecretMask.maskUris(plain));
        }
        assertEquals(SecretMask.MASK, SecretMask.value("fs.s3a.secret.key", "abc"));
        assertEquals("s3a://***@b", SecretMask.value("dataset.root", "s3a://k:s@b"));
    }

    @Test
    void badValueMessagesDoNotEchoCredentials() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(List.of(),
                List.of("dataset.rooot=\"s3a://AKIA:wJalrXUt@bucket/voc\"")));
        assertTrue(e.getMessage().contains("s3a://***@bucket/voc"), e.getMessage());
        assertFalse(e.getMessage().contains("wJalrXUt"), e.getMessage());
    }
}
