package org.tolkdev.omegat;

import javax.swing.JCheckBoxMenuItem;
import org.omegat.core.Core;
import org.omegat.core.CoreEvents;
import org.omegat.core.events.IApplicationEventListener;
import org.omegat.util.Preferences;

/**
 * Called by OmegaT at start (the jar's "OmegaT-Plugins" manifest entry). The machine-translation
 * source and the glossary are registered by their own manifest sections; this adds the
 * Options › Machine Translate › Tolk check box once the main window is there (none in console
 * mode).
 */
public final class TolkPlugin {
    private TolkPlugin() {
    }

    public static void loadPlugins() {
        CoreEvents.registerApplicationEventListener(new IApplicationEventListener() {
            @Override
            public void onApplicationStartup() {
                if (Core.getMainWindow() == null) {
                    return;
                }
                final JCheckBoxMenuItem item = new JCheckBoxMenuItem("Tolk",
                        Preferences.isPreferenceDefault(TolkMachineTranslation.PREFERENCE, true));
                item.addActionListener(e -> Preferences.setPreference(TolkMachineTranslation.PREFERENCE,
                        item.isSelected()));
                Core.getMainWindow().getMainMenu().getMachineTranslationMenu().add(item);
            }

            @Override
            public void onApplicationShutdown() {
            }
        });
    }

    public static void unloadPlugins() {
    }
}
