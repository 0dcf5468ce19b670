package dev.chainrule.graph;

/** What a leaf is for: an {@code input} is data held fixed, a {@code param} is what training changes. */
public enum LeafKind {
    INPUT,
    PARAM;

    /** The keyword that declares this kind of leaf. */
    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
