package dev.chainrule.model;

import dev.chainrule.graph.Limits;
import java.nio.file.Path;
import java.util.List;

/**
 * The settings a model is built under, carried by the model itself (its {@link Scope}), never by
 * the process: two models built side by side, in two threads, with different settings do not
 * see each other's.
 *
 * @param limits    the most elements of a tensor and nodes of the graph
 * @param readable  folders beyond the model's own that its files ({@code csv(...)}) may be read
 *                  from ({@code --allow-read}), absolute and normalised
 */
public record ModelOptions(Limits limits, List<Path> readable) {
    /** The default limits, and reads from the model's own folder only. */
    public static final ModelOptions DEFAULT = new ModelOptions(Limits.DEFAULT, List.of());

    public ModelOptions {
        java.util.Objects.requireNonNull(limits);
        readable = readable.stream().map(f -> f.toAbsolutePath().normalize()).toList();
    }

    /** These options with other limits. */
    public ModelOptions withLimits(Limits limits) {
        return new ModelOptions(limits, readable);
    }

    /** These options reading from {@code folders} too. */
    public ModelOptions withReadable(List<Path> folders) {
        return new ModelOptions(limits, folders);
    }
}
