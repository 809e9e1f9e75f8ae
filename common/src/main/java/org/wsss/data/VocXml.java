package org.wsss.data;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

/** The object names of a PASCAL VOC annotation XML ({@code <object><name>cat</name>...</object>}). */
final class VocXml {

    private VocXml() {
    }

    /** Names of all objects, in file order, repeats kept; part names ({@code <part><name>}) are not objects. */
    static List<String> objectNames(byte[] xml, String path) throws QuarantineException {
        Document doc = parse(xml, path);
        NodeList objects = doc.getElementsByTagName("object");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < objects.getLength(); i++) {
            String name = childText((Element) objects.item(i), "name");
            if (name == null || name.isBlank()) {
                throw new QuarantineException("<object> number " + (i + 1) + " has no <name> in " + path);
            }
            names.add(name.trim());
        }
        return names;
    }

    private static String childText(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e.getTextContent();
            }
        }
        return null;
    }

    private static Document parse(byte[] xml, String path) throws QuarantineException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            // Annotation files come from anywhere: no DOCTYPE, no external entities.
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                }

                @Override
                public void error(SAXParseException e) throws SAXParseException {
                    throw e;
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXParseException {
                    throw e;
                }
            });
            return b.parse(new ByteArrayInputStream(xml));
        } catch (SAXParseException e) {
            throw new QuarantineException("malformed XML in " + path + " (line " + e.getLineNumber() + "): "
                    + e.getMessage(), e);
        } catch (Exception e) {
            throw new QuarantineException("malformed XML in " + path + ": " + e.getMessage(), e);
        }
    }
}
