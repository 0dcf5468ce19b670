package dev.chainrule.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Text read from regular files only, and at most a given number of bytes of it: a folder, a FIFO
 * or a device ({@code /dev/zero}) is refused before it is opened, so a read never hangs and never
 * fills the heap. A UTF-8 byte-order mark is dropped.
 */
public final class BoundedRead {
    private BoundedRead() {
    }

    /**
     * The text of a model file ({@code .chain}, an include), UTF-8, up to the most a model's
     * source may hold ({@link dev.chainrule.diag.Source#MAX_BYTES}).
     *
     * @throws FileRefused as {@link #text} does
     */
    public static String model(Path file) throws FileRefused {
        return text(file, dev.chainrule.diag.Source.MAX_BYTES, "the most a model file may hold");
    }

    /**
     * The text of {@code file}, UTF-8.
     *
     * @param maxBytes the most bytes read; a longer file is refused with its size and the limit
     * @param limit    how the limit is set, for the message ("--max-source-bytes")
     * @throws FileRefused when the file is missing, not a regular file, too long, not UTF-8 or unreadable
     */
    public static String text(Path file, long maxBytes, String limit) throws FileRefused {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.exists(file)) {
            throw new FileRefused(file + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new FileRefused(file + " is a folder, not a file");
        }
        if (!Files.isRegularFile(file)) {
            throw new FileRefused(file + " is not a regular file (a device or a FIFO, say); chainrule reads regular files only");
        }
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new FileRefused(file + " is " + megabytes(size) + "; chainrule reads files up to " + megabytes(maxBytes)
                        + " (" + limit + ")");
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            }
            if (bytes.length > maxBytes) {
                throw new FileRefused(file + " grew past " + megabytes(maxBytes) + " while it was read (" + limit + ")");
            }
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (NoSuchFileException e) {
            throw new FileRefused(file + ": no such file");
        } catch (CharacterCodingException e) {
            throw new FileRefused(file + ": not a UTF-8 text file");
        } catch (IOException e) {
            throw new FileRefused(file + ": cannot read: " + e.getMessage());
        }
    }

    /** {@code 1.5 MB}, {@code 312 bytes}: a size as people read it. */
    public static String megabytes(long bytes) {
        return bytes < 1_000_000 ? bytes + (bytes == 1 ? " byte" : " bytes")
                : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
