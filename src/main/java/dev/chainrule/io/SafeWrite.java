package dev.chainrule.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * Files written whole or not at all. The bytes go to a temporary file beside the target, with a
 * random name, created new ({@code CREATE_NEW}: a link planted under that name is never followed)
 * and moved over the target atomically. An existing target is replaced only when it is a file
 * of the kind being written (a PNG over a PNG) or when the user forces it; a folder is never
 * replaced.
 */
public final class SafeWrite {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What is written, and how to recognise a file of that kind. */
    public enum Kind {
        PNG("a PNG picture") {
            @Override
            boolean is(byte[] head) {
                return head.length >= 8 && (head[0] & 0xFF) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G';
            }
        },
        JSON("a JSON file") {
            @Override
            boolean is(byte[] head) {
                for (byte b : head) {
                    if (b == '{' || b == '[') {
                        return true;
                    }
                    if (!Character.isWhitespace(b) && (b & 0xFF) != 0xEF && (b & 0xFF) != 0xBB && (b & 0xFF) != 0xBF) {
                        return false;
                    }
                }
                return false;
            }
        },
        MODEL("a model's text") {
            @Override
            boolean is(byte[] head) {
                // text: no NUL byte, and UTF-8 throughout (a cut last character aside)
                for (byte b : head) {
                    if (b == 0) {
                        return false;
                    }
                }
                java.nio.charset.CharsetDecoder decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder();
                java.nio.CharBuffer out = java.nio.CharBuffer.allocate(head.length);
                return !decoder.decode(java.nio.ByteBuffer.wrap(head), out, false).isError();
            }
        },
        SOURCE("source code written by chainrule export") {
            @Override
            boolean is(byte[] head) {
                return new String(head, java.nio.charset.StandardCharsets.UTF_8).contains("exported by chainrule");
            }
        };

        private final String words;

        Kind(String words) {
            this.words = words;
        }

        abstract boolean is(byte[] head);

        /** {@code a PNG picture}. */
        public String words() {
            return words;
        }
    }

    private SafeWrite() {
    }

    /**
     * Writes {@code bytes} to {@code file}.
     *
     * @param force replace an existing file even when it is not of this kind
     * @throws FileRefused when the target is a folder, or a file of another kind (and not forced),
     *                     or cannot be written
     */
    public static void write(Path file, byte[] bytes, Kind kind, boolean force) throws FileRefused {
        Path folder = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileRefused(file + " is a folder; chainrule does not replace folders");
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !force && !isKind(file, kind)) {
            throw new FileRefused(file + " exists and is not " + kind.words() + "; chainrule replaces only files of the kind it writes"
                    + " (--force replaces it anyway)");
        }
        if (folder == null || !Files.isDirectory(folder)) {
            throw new FileRefused("cannot write " + file + ": no such folder");
        }
        Path temporary = folder.resolve("." + file.getFileName() + "." + HexFormat.of().formatHex(nonce()) + ".part");
        try {
            try (FileChannel channel = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)); OutputStream out = Channels.newOutputStream(channel)) {
                out.write(bytes);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (FileAlreadyExistsException e) {
            throw new FileRefused("cannot write " + file + ": a file is in the way of its temporary copy " + temporary.getFileName());
        } catch (IOException e) {
            throw new FileRefused("cannot write " + file + ": " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // moved into place, or never made
            }
        }
    }

    private static byte[] nonce() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Whether the file (not a link) starts as files of this kind do. */
    private static boolean isKind(Path file, Kind kind) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (var in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return kind.is(in.readNBytes(64));
        } catch (IOException e) {
            return false;
        }
    }
}
