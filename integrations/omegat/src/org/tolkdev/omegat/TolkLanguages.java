package org.tolkdev.omegat;

import org.omegat.util.Language;

/** Tolk translates Dutch into English: the plugin answers only for such projects. */
final class TolkLanguages {
    private TolkLanguages() {
    }

    static boolean supported(Language source, Language target) {
        return source != null && target != null
                && "nl".equalsIgnoreCase(source.getLanguageCode())
                && "en".equalsIgnoreCase(target.getLanguageCode());
    }
}
