package org.wsss.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class ReferenceConfTest {

    private static final Path COMMITTED = Path.of("..", "conf", "reference.conf");

    @Test
    void committedReferenceConfIsTheRenderingOfParams() throws Exception {
        String committed = Files.readString(COMMITTED);
        assertEquals(ReferenceConf.render(), committed,
                "conf/reference.conf is out of date: run `deploy/bin/wsss config --reference > conf/reference.conf`");
    }

    @Test
    void everyKeyIsDocumentedAndParsesToItsDefault() throws Exception {
        String text = Files.readString(COMMITTED);
        Config parsed = ConfigFactory.parseString(text);
        for (Param<?> p : Params.all()) {
            assertTrue(parsed.hasPath(p.key()), "reference.conf lacks " + p.key());
            assertEquals(p.defaultValue(), p.read(parsed), p.key());
            int at = text.indexOf("\n" + p.key() + " = ");
            assertTrue(at > 0 && text.substring(0, at).endsWith("."), "no comment before " + p.key());
            String previousLine = text.substring(text.lastIndexOf('\n', at - 1) + 1, at);
            assertTrue(previousLine.startsWith("# "), "no comment line right above " + p.key());
        }
        assertEquals(Params.all().size(), parsed.entrySet().size(), "reference.conf has keys Params does not declare");
    }
}
