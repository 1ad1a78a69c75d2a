package org.tolkdev.omegat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.omegat.core.glossaries.IGlossary;
import org.omegat.gui.glossary.GlossaryEntry;
import org.omegat.util.Language;
import tolk.v1.GlossaryOuterClass.Term;
import tolk.v1.GlossaryOuterClass.TermHit;
import tolk.v1.GlossaryOuterClass.TermStatus;

/**
 * Tolk's glossary as an OmegaT glossary source: the terms GlossaryService.LookupTerms finds in
 * the segment, each as an entry with the words as they stand in the segment, the preferred
 * English, and a comment with the glossary's Dutch term, its status, the other English terms and
 * the subject.
 */
public class TolkGlossary implements IGlossary {
    @Override
    public List<GlossaryEntry> search(Language source, Language target, String text) throws Exception {
        if (!TolkLanguages.supported(source, target) || text == null || text.trim().isEmpty()) {
            return Collections.emptyList();
        }
        List<GlossaryEntry> entries = new ArrayList<>();
        for (TermHit hit : TolkClient.shared().terms(text)) {
            entries.add(new GlossaryEntry(sourceWords(text, hit), hit.getTarget(), comment(hit), false));
        }
        return entries;
    }

    /**
     * The hit as it stands in the text. OmegaT keeps a glossary entry only when the segment holds
     * all of its words, so a term found inside a closed compound becomes the whole compound.
     */
    static String sourceWords(String text, TermHit hit) {
        if (!hit.getCompound()) {
            return hit.getText();
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (hit.getStart() < 0 || hit.getEnd() > utf8.length || hit.getStart() > hit.getEnd()) {
            return hit.getText();
        }
        int start = new String(Arrays.copyOf(utf8, hit.getStart()), StandardCharsets.UTF_8).length();
        int end = new String(Arrays.copyOf(utf8, hit.getEnd()), StandardCharsets.UTF_8).length();
        while (start > 0 && wordChar(text.charAt(start - 1))) {
            start--;
        }
        while (end < text.length() && wordChar(text.charAt(end))) {
            end++;
        }
        return text.substring(start, end);
    }

    private static boolean wordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '-';
    }

    /**
     * "antiterreurmaatregel (preferred); also: anti-terrorist measure; security": the glossary's
     * Dutch term and its status, the preferred Dutch terms for a deprecated or forbidden one, the
     * other acceptable English terms, the English ones to avoid, the subject.
     */
    static String comment(TermHit hit) {
        StringBuilder b = new StringBuilder();
        b.append(hit.getTerm()).append(" (").append(status(hit.getStatus())).append(')');
        if (hit.getAlternativesCount() > 0) {
            b.append("; use: ").append(String.join(", ", hit.getAlternativesList()));
        }
        List<String> also = new ArrayList<>();
        List<String> avoid = new ArrayList<>();
        for (Term t : hit.getTargetsList()) {
            if (t.getText().equals(hit.getTarget())) {
                continue;
            }
            if (t.getStatus() == TermStatus.TERM_STATUS_DEPRECATED || t.getStatus() == TermStatus.TERM_STATUS_FORBIDDEN) {
                avoid.add(t.getText() + " (" + status(t.getStatus()) + ")");
            } else {
                also.add(t.getText());
            }
        }
        if (!also.isEmpty()) {
            b.append("; also: ").append(String.join(", ", also));
        }
        if (!avoid.isEmpty()) {
            b.append("; avoid: ").append(String.join(", ", avoid));
        }
        if (!hit.getSubject().isEmpty()) {
            b.append("; ").append(hit.getSubject());
        }
        if (hit.getExpired()) {
            b.append("; expired");
        }
        return b.toString();
    }

    static String status(TermStatus s) {
        switch (s) {
            case TERM_STATUS_PREFERRED:
            case TERM_STATUS_ADMITTED:
            case TERM_STATUS_DEPRECATED:
            case TERM_STATUS_FORBIDDEN:
                return s.name().substring("TERM_STATUS_".length()).toLowerCase(Locale.ROOT);
            default:
                return "no status";
        }
    }
}
