package org.tolkdev.omegat.check;

import java.io.File;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.omegat.core.glossaries.IGlossary;
import org.omegat.filters2.master.PluginUtils;
import org.omegat.gui.exttrans.IMachineTranslation;
import org.omegat.gui.glossary.GlossaryEntry;
import org.omegat.util.Language;
import org.omegat.util.RuntimePreferences;

/**
 * Loads the Tolk plugin jar the way OmegaT 3.6 does (from the plugins folder of a fresh
 * configuration folder, through PluginUtils.loadPlugins) and calls its machine-translation and
 * glossary sources against the Tolk server in TOLK_ADDR. It is compiled against OmegaT's jar only:
 * the plugin's classes are reached through OmegaT's interfaces, as OmegaT reaches them.
 *
 * <pre>
 * java -cp build/test:OmegaT.jar [-Dcheck.*=...] org.tolkdev.omegat.check.PluginCheck PLUGIN.jar up|fail
 * </pre>
 *
 * -Dcheck.config: the OmegaT configuration folder to use (default: a new temporary one).
 * up: the server answers. -Dcheck.exact.source / .target: a segment and the English of its 100 %
 * match; -Dcheck.fuzzy.source / .target: a segment with a changed number and the adapted English
 * expected; -Dcheck.term.text / .source / .target: a text, a term as it stands in it, and its
 * preferred English.
 * fail: the server refuses or does not answer: both sources fail with a message that names the
 * address and holds -Dcheck.error (a gRPC status code such as UNAVAILABLE or UNAUTHENTICATED).
 *
 * Prints one line per check and "N passed, N failed"; exits 1 when a check failed.
 */
public final class PluginCheck {
    private static final Language NL = new Language("nl-NL");
    private static final Language EN = new Language("en-GB");
    private static int passed;
    private static int failed;

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: PluginCheck PLUGIN.jar up|fail");
            System.exit(2);
        }
        String dir = System.getProperty("check.config");
        Path config = dir != null ? new File(dir).toPath() : Files.createTempDirectory("omegat-config");
        Files.createDirectories(config.resolve("plugins"));
        Files.copy(new File(args[0]).toPath(), config.resolve("plugins").resolve("tolk-omegat.jar"),
                StandardCopyOption.REPLACE_EXISTING);
        RuntimePreferences.setConfigDir(config.toString());
        PluginUtils.loadPlugins(new HashMap<String, String>());

        Class<?> mtClass = find(PluginUtils.getMachineTranslationClasses(), "org.tolkdev.omegat.TolkMachineTranslation");
        check("OmegaT registers TolkMachineTranslation as a machine translator", mtClass != null,
                "machine translators: " + names(PluginUtils.getMachineTranslationClasses()));
        Class<?> glClass = find(PluginUtils.getGlossaryClasses(), "org.tolkdev.omegat.TolkGlossary");
        check("OmegaT registers TolkGlossary as a glossary", glClass != null,
                "glossaries: " + names(PluginUtils.getGlossaryClasses()));
        check("OmegaT calls TolkPlugin.loadPlugins", find(loadedPlugins(), "org.tolkdev.omegat.TolkPlugin") != null,
                "loaded: " + names(loadedPlugins()));
        if (mtClass == null || glClass == null) {
            finish();
        }
        check("the plugin is loaded from the plugin jar, not the class path",
                mtClass.getClassLoader() != ClassLoader.getSystemClassLoader(), "loader " + mtClass.getClassLoader());

        IMachineTranslation mt = (IMachineTranslation) mtClass.getDeclaredConstructor().newInstance();
        IGlossary glossary = (IGlossary) glClass.getDeclaredConstructor().newInstance();
        check("the machine translator is named Tolk and enabled by default", "Tolk".equals(mt.getName()) && mt.isEnabled(),
                mt.getName() + " enabled=" + mt.isEnabled());

        if (args[1].equals("fail")) {
            String addr = System.getProperty("tolk.addr", System.getenv("TOLK_ADDR"));
            String want = prop("check.error");
            expectFailure("machine translation fails with " + want + ", naming the server", addr, want,
                    () -> mt.getTranslation(NL, EN, "De president belt de minister."));
            expectFailure("the glossary fails with " + want + ", naming the server", addr, want,
                    () -> glossary.search(NL, EN, "De president belt de minister."));
            finish();
        }

        String exact = mt.getTranslation(NL, EN, prop("check.exact.source"));
        String want = "[100%] " + prop("check.exact.target");
        check("an exact memory match comes back as \"[100%] English\"", want.equals(exact),
                "got " + quote(exact) + ", want " + quote(want));

        String fuzzy = mt.getTranslation(NL, EN, prop("check.fuzzy.source"));
        check("a fuzzy match comes back adapted, with a score under 100",
                fuzzy != null && fuzzy.matches("\\[(9\\d|[7-8]\\d)%\\] .*")
                        && fuzzy.endsWith("] " + prop("check.fuzzy.target")),
                "got " + quote(fuzzy) + ", want \"[NN%] " + prop("check.fuzzy.target") + "\"");

        check("a segment with no match gets no suggestion",
                mt.getTranslation(NL, EN, "Zwaluwen zwermen zingend boven zeven zompige zeeweiden.") == null, "");
        check("another language pair gets no suggestion",
                mt.getTranslation(new Language("de-DE"), EN, prop("check.exact.source")) == null, "");

        List<GlossaryEntry> entries = glossary.search(NL, EN, prop("check.term.text"));
        GlossaryEntry hit = null;
        for (GlossaryEntry e : entries) {
            if (e.getSrcText().equals(prop("check.term.source"))) {
                hit = e;
            }
        }
        check("the glossary finds " + quote(prop("check.term.source")) + " with its preferred English",
                hit != null && hit.getLocText().equals(prop("check.term.target")), "entries: " + describe(entries));
        check("the glossary entry's comment gives the status", hit != null
                && hit.getCommentText().matches(".*\\((preferred|admitted|deprecated|forbidden)\\).*"),
                "entries: " + describe(entries));
        check("the glossary answers nothing for another language pair",
                glossary.search(NL, new Language("fr-FR"), prop("check.term.text")).isEmpty(), "");
        finish();
    }

    interface Call {
        Object run() throws Exception;
    }

    private static void expectFailure(String name, String addr, String want, Call call) {
        try {
            Object got = call.run();
            check(name, false, "no error, got " + got);
        } catch (Exception e) {
            String msg = String.valueOf(e.getMessage());
            check(name, msg.contains("Tolk at " + addr + ": ") && msg.contains(want), "message: " + msg);
        }
    }

    private static void check(String name, boolean ok, String detail) {
        if (ok) {
            passed++;
            System.out.println("ok   " + name);
        } else {
            failed++;
            System.out.println("FAIL " + name + ": " + detail);
        }
    }

    private static void finish() {
        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }

    private static String prop(String name) {
        String v = System.getProperty(name);
        if (v == null) {
            throw new IllegalArgumentException("missing -D" + name);
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private static List<Class<?>> loadedPlugins() throws Exception {
        Field f = PluginUtils.class.getDeclaredField("loadedPlugins");
        f.setAccessible(true);
        return (List<Class<?>>) f.get(null);
    }

    private static Class<?> find(List<Class<?>> classes, String name) {
        for (Class<?> c : classes) {
            if (c.getName().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private static List<String> names(List<Class<?>> classes) {
        List<String> out = new ArrayList<>();
        for (Class<?> c : classes) {
            out.add(c.getName());
        }
        return out;
    }

    private static String describe(List<GlossaryEntry> entries) {
        List<String> out = new ArrayList<>();
        for (GlossaryEntry e : entries) {
            out.add(quote(e.getSrcText()) + " = " + quote(e.getLocText()) + " // " + e.getCommentText());
        }
        return out.toString();
    }

    private static String quote(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }
}
