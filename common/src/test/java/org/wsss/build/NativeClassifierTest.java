package org.wsss.build;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default build runs on any x86-64: it resolves nd4j-native's linux-x86_64-onednn jar (libnd4j compiled for
 * generic x86-64, with oneDNN choosing its kernels at run time), the plain generic jar with -Pgeneric, and a
 * CPU-specific one (avx2, avx512) only when a profile asks for it.
 */
class NativeClassifierTest {
    private static final Path PARENT_POM = Path.of("..", "pom.xml");
    private static final String DEFAULT = "linux-x86_64-onednn";

    @Test
    void thePomsDefaultIsThePortableOnednnBuildAndEachProfileSetsBackendAndClassifier() throws Exception {
        Element project = parse(PARENT_POM);
        Map<String, String> top = properties(child(project, "properties"));
        assertEquals("nd4j-native", top.get("nd4j.backend"));
        assertEquals(DEFAULT, top.get("nd4j.classifier"), PARENT_POM + ": <nd4j.classifier>");

        Map<String, Map<String, String>> profiles = new HashMap<>();
        List<String> byDefault = new ArrayList<>();
        for (Element p : children(child(project, "profiles"), "profile")) {
            String id = text(child(p, "id"));
            Map<String, String> props = new HashMap<>(top);
            props.putAll(properties(child(p, "properties")));
            profiles.put(id, props);
            Element activation = child(p, "activation");
            if (activation != null && "true".equals(text(child(activation, "activeByDefault")))) {
                byDefault.add(id);
            }
        }
        assertEquals(List.of("cpu"), byDefault, "one profile active by default");
        assertEquals(Map.of("nd4j.backend", "nd4j-native", "nd4j.classifier", DEFAULT), nd4j(profiles.get("cpu")));
        assertEquals(Map.of("nd4j.backend", "nd4j-native", "nd4j.classifier", "linux-x86_64"),
                nd4j(profiles.get("generic")));
        // -Pavx512 alone switches cpu off: it must still name the CPU backend, not leave it to chance
        assertEquals(Map.of("nd4j.backend", "nd4j-native", "nd4j.classifier", "linux-x86_64-avx512"),
                nd4j(profiles.get("avx512")));
        assertEquals(Map.of("nd4j.backend", "nd4j-native", "nd4j.classifier", "linux-x86_64-avx2"),
                nd4j(profiles.get("avx2")));
        assertEquals(Map.of("nd4j.backend", "nd4j-cuda-11.6", "nd4j.classifier", "linux-x86_64-cudnn"),
                nd4j(profiles.get("cuda")));
    }

    @Test
    void noModuleNamesANativeClassifierOtherThanTheProperty() throws Exception {
        List<Path> poms = new ArrayList<>(List.of(PARENT_POM));
        for (Element m : children(child(parse(PARENT_POM), "modules"), "module")) {
            poms.add(Path.of("..", text(m), "pom.xml"));
        }
        int nativeDeps = 0;
        for (Path pom : poms) {
            NodeList deps = parse(pom).getElementsByTagName("dependency");
            for (int i = 0; i < deps.getLength(); i++) {
                Element d = (Element) deps.item(i);
                String artifact = text(child(d, "artifactId"));
                Element classifier = child(d, "classifier");
                if (classifier != null && (artifact.startsWith("nd4j-") || artifact.equals("${nd4j.backend}"))) {
                    assertEquals("${nd4j.classifier}", text(classifier), pom + ": " + artifact);
                    nativeDeps++;
                }
            }
        }
        assertTrue(nativeDeps >= 2, "the parent and common declare the classified native jar: " + nativeDeps);
    }

    @Test
    void theTestClasspathHoldsTheNativeJarOfTheBuiltClassifierOnly() {
        String backend = System.getProperty("wsss.nd4j.backend");
        String classifier = System.getProperty("wsss.nd4j.classifier");
        assertNotNull(classifier, "wsss.nd4j.classifier is not set: run this test with Maven (surefire sets it "
                + "from the pom's nd4j.classifier)");
        TreeSet<String> found = new TreeSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            Path versionDir = jar.getParent();
            if (versionDir == null || versionDir.getParent() == null
                    || !versionDir.getParent().getFileName().toString().equals(backend)) {
                continue;
            }
            String prefix = backend + "-" + versionDir.getFileName() + "-";
            String name = jar.getFileName().toString();
            if (name.startsWith(prefix) && name.endsWith(".jar")) {
                found.add(name.substring(prefix.length(), name.length() - ".jar".length()));
            }
        }
        assertEquals(new TreeSet<>(List.of(classifier)), found,
                "classified " + backend + " jars on the test classpath (a second one would load two libnd4j)");
    }

    private static Map<String, String> nd4j(Map<String, String> props) {
        assertNotNull(props, "profile missing");
        return Map.of("nd4j.backend", props.get("nd4j.backend"), "nd4j.classifier", props.get("nd4j.classifier"));
    }

    private static Element parse(Path pom) throws Exception {
        assertTrue(Files.isRegularFile(pom), pom + " not found (the test runs in its module's folder)");
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
    }

    private static Map<String, String> properties(Element properties) {
        Map<String, String> out = new HashMap<>();
        if (properties != null) {
            for (Element e : children(properties, null)) {
                out.put(e.getTagName(), text(e));
            }
        }
        return out;
    }

    /** The direct child elements named {@code name} (all of them when null). */
    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent == null) {
            return out;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && (name == null || e.getTagName().equals(name))) {
                out.add(e);
            }
        }
        return out;
    }

    private static Element child(Element parent, String name) {
        List<Element> c = children(parent, name);
        return c.isEmpty() ? null : c.get(0);
    }

    private static String text(Element e) {
        return e == null ? null : e.getTextContent().trim();
    }
}
