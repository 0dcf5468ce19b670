package dev.chainrule.notebook.kernel;

import dev.chainrule.diag.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.chainrule.io.FileRefused;
import dev.chainrule.io.SafeWrite;

/**
 * Writes the kernelspec ({@code kernel.json} and a logo) that starts the kernel from this jar,
 * each file whole or not at all, replacing only a kernelspec's own kind of file.
 */
public final class KernelSpec {
    private KernelSpec() {
    }

    /**
     * Installs under {@code prefix/share/jupyter/kernels/chainrule}, or under the user's
     * {@code ~/.local/share/jupyter/kernels/chainrule} when {@code prefix} is null.
     *
     * @return the folder written
     */
    public static Path install(Path prefix) {
        Path base = prefix != null ? prefix.resolve("share/jupyter/kernels")
                : Path.of(System.getProperty("user.home"), ".local/share/jupyter/kernels");
        Path folder = base.resolve("chainrule");
        String jar = jar();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String json = "{\n  \"argv\": [" + quote(java) + ", \"-jar\", " + quote(jar) + ", \"kernel\", \"{connection_file}\"],\n"
                + "  \"display_name\": \"chainrule\",\n  \"language\": \"chainrule\",\n  \"interrupt_mode\": \"message\"\n}\n";
        try {
            Files.createDirectories(folder);
            SafeWrite.write(folder.resolve("kernel.json"), json.getBytes(StandardCharsets.UTF_8), SafeWrite.Kind.JSON, false);
            try (InputStream logo = KernelSpec.class.getResourceAsStream("/kernel/logo-64x64.png")) {
                if (logo != null) {
                    SafeWrite.write(folder.resolve("logo-64x64.png"), logo.readAllBytes(), SafeWrite.Kind.PNG, false);
                }
            }
        } catch (IOException e) {
            throw new UsageException("cannot write the kernelspec to " + folder + ": " + e.getMessage());
        } catch (FileRefused e) {
            throw new UsageException("cannot write the kernelspec: " + e.getMessage());
        }
        return folder;
    }

    /** The running jar's path (the kernelspec starts the kernel from it). */
    private static String jar() {
        try {
            return Path.of(KernelSpec.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath().toString();
        } catch (URISyntaxException e) {
            throw new UsageException("cannot find the running jar: " + e.getMessage());
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
