package org.tolkdev.omegat;

import java.io.File;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Readies Tolk's XLIFF 1.2 ({@code tolk translate --format xliff12}) for OmegaT 3.6.
 *
 * <p>OmegaT 3.6's XLIFF filter takes the text to translate from each trans-unit's
 * {@code <target>}, not its {@code <source>}: a unit without a target yields no segment, and a
 * target holding Tolk's English draft becomes an English "source". So each trans-unit's target
 * becomes a copy of its source, with the glossary's {@code <mrk mtype="term">} markers unwrapped
 * (OmegaT would show them as tags, and a tagged segment never matches the memory exactly). Tolk's
 * matches stay in {@code <alt-trans>} and its term hits in the notes.
 *
 * <pre>java -cp tolk-omegat.jar org.tolkdev.omegat.PrepareXliff IN.xlf OUT.xlf</pre>
 */
public final class PrepareXliff {
    static final String NS = "urn:oasis:names:tc:xliff:document:1.2";

    private PrepareXliff() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java -cp tolk-omegat.jar org.tolkdev.omegat.PrepareXliff IN.xlf OUT.xlf");
            System.exit(2);
        }
        int n = prepare(new File(args[0]), new File(args[1]));
        System.err.println(n + " trans-units readied for OmegaT in " + args[1]);
    }

    /** Writes in's units with their targets replaced by copies of their sources; returns the count. */
    public static int prepare(File in, File out) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        DocumentBuilder b = f.newDocumentBuilder();
        Document doc = b.parse(in);
        if (!NS.equals(doc.getDocumentElement().getNamespaceURI())) {
            throw new IllegalArgumentException(in + " is not XLIFF 1.2 (root namespace "
                    + doc.getDocumentElement().getNamespaceURI() + ")");
        }
        NodeList units = doc.getElementsByTagNameNS(NS, "trans-unit");
        for (int i = 0; i < units.getLength(); i++) {
            Element unit = (Element) units.item(i);
            Element source = child(unit, "source");
            if (source == null) {
                continue;
            }
            Element target = child(unit, "target");
            Element copy = doc.createElementNS(NS, "target");
            copy.setAttribute("state", "new");
            for (Node c = source.getFirstChild(); c != null; c = c.getNextSibling()) {
                copy.appendChild(c.cloneNode(true));
            }
            unwrapTerms(copy);
            if (target != null) {
                unit.replaceChild(copy, target);
            } else {
                unit.insertBefore(copy, source.getNextSibling());
                unit.insertBefore(doc.createTextNode("\n     "), copy);
            }
        }
        Transformer t = TransformerFactory.newInstance().newTransformer();
        t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
        t.transform(new DOMSource(doc), new StreamResult(out));
        return units.getLength();
    }

    private static Element child(Element parent, String name) {
        for (Node c = parent.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element && NS.equals(c.getNamespaceURI()) && name.equals(c.getLocalName())) {
                return (Element) c;
            }
        }
        return null;
    }

    private static void unwrapTerms(Element e) {
        Node c = e.getFirstChild();
        while (c != null) {
            Node next = c.getNextSibling();
            if (c instanceof Element) {
                Element el = (Element) c;
                unwrapTerms(el);
                if (NS.equals(el.getNamespaceURI()) && "mrk".equals(el.getLocalName())
                        && "term".equals(el.getAttribute("mtype"))) {
                    while (el.getFirstChild() != null) {
                        e.insertBefore(el.getFirstChild(), el);
                    }
                    e.removeChild(el);
                }
            }
            c = next;
        }
        e.normalize();
    }
}
