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

/**
 * The objects of a PASCAL VOC annotation XML ({@code <object><name>cat</name><bndbox>...</bndbox></object>}): their
 * names, and their boxes where they have one.
 */
final class VocXml {

    private VocXml() {
    }

    /** Names of all objects, in file order, repeats kept; part names ({@code <part><name>}) are not objects. */
    static List<String> objectNames(byte[] xml, String path) throws QuarantineException {
        return objectNames(parse(xml, path), path);
    }

    /** {@link #objectNames(byte[], String)} of a document already parsed. */
    static List<String> objectNames(Document doc, String path) throws QuarantineException {
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

    /**
     * The boxes of the objects that have a {@code <bndbox>}, in file order: VOC's 1-based inclusive xmin..xmax,
     * ymin..ymax become half-open 0-based bounds (x0 = xmin - 1, x1 = xmax); fractional coordinates are rounded.
     */
    static List<NamedBox> boxes(byte[] xml, String path) throws QuarantineException {
        return boxes(parse(xml, path), path);
    }

    /** {@link #boxes(byte[], String)} of a document already parsed. */
    static List<NamedBox> boxes(Document doc, String path) throws QuarantineException {
        NodeList objects = doc.getElementsByTagName("object");
        List<NamedBox> boxes = new ArrayList<>();
        for (int i = 0; i < objects.getLength(); i++) {
            Element object = (Element) objects.item(i);
            Element box = child(object, "bndbox");
            if (box == null) {
                continue;
            }
            String where = "<bndbox> of <object> number " + (i + 1) + " in " + path;
            int xmin = coordinate(box, "xmin", where);
            int ymin = coordinate(box, "ymin", where);
            int xmax = coordinate(box, "xmax", where);
            int ymax = coordinate(box, "ymax", where);
            if (xmin < 1 || ymin < 1 || xmax < xmin || ymax < ymin) {
                throw new QuarantineException(where + " is empty or starts before pixel 1: xmin " + xmin + ", ymin "
                        + ymin + ", xmax " + xmax + ", ymax " + ymax);
            }
            String name = childText(object, "name");
            if (name == null || name.isBlank()) {
                throw new QuarantineException("<object> number " + (i + 1) + " has no <name> in " + path);
            }
            boxes.add(new NamedBox(xmin - 1, ymin - 1, xmax, ymax, name.trim()));
        }
        return boxes;
    }

    private static int coordinate(Element box, String tag, String where) throws QuarantineException {
        String text = childText(box, tag);
        if (text == null) {
            throw new QuarantineException(where + " has no <" + tag + ">");
        }
        try {
            double v = Double.parseDouble(text.trim());
            if (!Double.isFinite(v) || Math.abs(v) > 1e7) {
                throw new NumberFormatException();
            }
            return (int) Math.round(v);
        } catch (NumberFormatException e) {
            throw new QuarantineException(where + ": <" + tag + "> is not a pixel coordinate: '" + text.trim() + "'");
        }
    }

    private static Element child(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        return null;
    }

    private static String childText(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e.getTextContent();
            }
        }
        return null;
    }

    /** The XML parsed with no DOCTYPE and no external entities; malformed XML quarantines its image. */
    static Document parse(byte[] xml, String path) throws QuarantineException {
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
