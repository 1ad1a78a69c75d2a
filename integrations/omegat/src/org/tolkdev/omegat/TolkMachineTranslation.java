package org.tolkdev.omegat;

import org.omegat.gui.exttrans.IMachineTranslation;
import org.omegat.util.Language;
import org.omegat.util.Preferences;
import tolk.v1.MemoryOuterClass.Match;

/**
 * The "Tolk" machine-translation source: for the current segment, the best match of Tolk's
 * translation memory (MemoryService.Lookup), its numbers and dates adapted to the segment, shown
 * with its score as "[92%] text". Nothing is shown when Tolk has no match of 70 % or more.
 */
public class TolkMachineTranslation implements IMachineTranslation {
    /** The OmegaT preference behind the Options › Machine Translate › Tolk check box. */
    public static final String PREFERENCE = "allow_tolk_translate";

    @Override
    public String getName() {
        return "Tolk";
    }

    @Override
    public boolean isEnabled() {
        return Preferences.isPreferenceDefault(PREFERENCE, true);
    }

    @Override
    public String getTranslation(Language source, Language target, String text) throws Exception {
        if (!TolkLanguages.supported(source, target) || text == null || text.trim().isEmpty()) {
            return null;
        }
        Match m = TolkClient.shared().bestMatch(text);
        return m == null ? null : format(m);
    }

    @Override
    public String getCachedTranslation(Language source, Language target, String text) {
        // The memory changes while translators work: always ask the server.
        return null;
    }

    /** "[score%] target", the target adapted to the segment when Tolk adapted it. */
    static String format(Match m) {
        String text = m.getAdaptedTarget().isEmpty() ? m.getTarget() : m.getAdaptedTarget();
        return "[" + m.getScore() + "%] " + text;
    }
}
