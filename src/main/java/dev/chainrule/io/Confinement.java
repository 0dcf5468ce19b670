package dev.chainrule.io;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Paths a model names, resolved inside a folder: relative to it, and refused when they lead
 * outside it (and outside every other folder allowed) by {@code ..}, an absolute path, or a
 * symbolic link anywhere on the way. The same rule serves reads and writes.
 */
public final class Confinement {
    private Confinement() {
    }

    /**
     * The file {@code name} relative to {@code folder}, when it lies inside {@code folder} or one of
     * {@code others} once every link on its way is followed; null when it lies outside them all.
     *
     * @throws FileRefused when {@code name} is not a file name
     */
    public static Path resolve(Path folder, String name, List<Path> others) throws FileRefused {
        Path base = folder.toAbsolutePath().normalize();
        Path file;
        try {
            file = base.resolve(name).normalize();
        } catch (InvalidPathException e) {
            throw new FileRefused("not a file name: " + e.getReason());
        }
        if (name.isEmpty() || file.equals(base)) {
            throw new FileRefused("not a file name: '" + name + "'");
        }
        Path real = realOfDeepestExisting(file);
        List<Path> roots = new ArrayList<>();
        roots.add(real(base));
        for (Path other : others) {
            roots.add(real(other.toAbsolutePath().normalize()));
        }
        for (Path root : roots) {
            if (real.startsWith(root) && !real.equals(root)) {
                return file;
            }
        }
        return null;
    }

    /** Links followed at most on one path, as the kernel does (ELOOP). */
    private static final int MAX_LINKS = 40;

    /**
     * Where {@code file} really is: every symbolic link on its way followed, dangling ones too (a
     * link to a file not yet written is where a write would land), then {@code ..} resolved.
     * A path with a loop of links is taken as outside everything.
     */
    static Path realOfDeepestExisting(Path file) {
        java.util.Deque<Path> rest = new java.util.ArrayDeque<>();
        for (Path part : file.toAbsolutePath()) {
            rest.addLast(part);
        }
        Path at = file.toAbsolutePath().getRoot();
        int links = 0;
        while (!rest.isEmpty()) {
            Path part = rest.pollFirst();
            if (part.toString().equals("..")) {
                at = at.getParent() == null ? at : at.getParent();
                continue;
            }
            if (part.toString().equals(".")) {
                continue;
            }
            Path next = at.resolve(part);
            if (java.nio.file.Files.isSymbolicLink(next)) {
                if (++links > MAX_LINKS) {
                    return Path.of("/dev/null/loop");
                }
                try {
                    Path target = java.nio.file.Files.readSymbolicLink(next);
                    java.util.List<Path> parts = new java.util.ArrayList<>();
                    target.forEach(parts::add);
                    for (int i = parts.size() - 1; i >= 0; i--) {
                        rest.addFirst(parts.get(i));
                    }
                    if (target.isAbsolute()) {
                        at = target.getRoot();
                    }
                } catch (IOException | SecurityException e) {
                    return Path.of("/dev/null/unreadable");
                }
                continue;
            }
            at = next;
        }
        return at.normalize();
    }

    private static Path real(Path folder) {
        try {
            return folder.toRealPath();
        } catch (IOException | SecurityException e) {
            return folder;
        }
    }
}
