package dev.chainrule.cli;

import dev.chainrule.api.Examples;
import dev.chainrule.api.Model;
import dev.chainrule.api.Options;
import dev.chainrule.api.Result;
import dev.chainrule.api.Session;
import dev.chainrule.check.GradientCheck;
import dev.chainrule.diag.Source;
import dev.chainrule.diag.UsageException;
import dev.chainrule.graph.Node;
import dev.chainrule.lang.Command;
import dev.chainrule.model.ModelOptions;
import dev.chainrule.print.Format;
import dev.chainrule.print.Numbers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The picocli commands. Each loads a model, applies {@code --set}, asks the API, prints results. */
final class Commands {
    private Commands() {
    }

    @CommandLine.Command(name = "chainrule", mixinStandardHelpOptions = true, version = "chainrule 0.1.0",
            description = {"Symbolic autodiff for model expressions: values, gradients as numbers and "
                    + "expressions, chain-rule explanations and finite-difference checks.",
                "With no command, runs the demo (the 2-2-2 network of the classic backpropagation tutorial)."},
            subcommands = {Run.class, Eval.class, Grad.class, Derive.class, Explain.class, Check.class, Export.class,
                Train.class, Graph.class, Demo.class, ListExamples.class, NotebookCommand.class, KernelCommand.class, ReplCommand.class, Serve.class,
                CommandLine.HelpCommand.class})
    static final class Root implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--debug", description = "Print stack traces of errors.")
        boolean debug;

        @Override
        public Integer call() {
            return Demo.demo(new Printer(spec.commandLine().getOut(), new Shared()));
        }
    }

    /** Flags every model command takes. */
    static final class Shared {
        @Option(names = "--set", paramLabel = "NAME=VALUE", description = "Override an input or param (repeatable).")
        List<String> set = new ArrayList<>();

        @Option(names = "--json", description = "Print one JSON object per result, one per line.")
        boolean json;

        @Option(names = "--format", paramLabel = "FORMAT", description = "Notation: ${COMPLETION-CANDIDATES} (default: text).")
        Format format = Format.TEXT;

        @Option(names = "--digits", paramLabel = "N", description = "Significant digits of printed numbers (1-17, default 9).")
        int digits = Numbers.DEFAULT_DIGITS;

        @Option(names = "--full", description = "Print tensors whole (default: their shape and the entries at the edges of each axis when they have more than 64).")
        boolean full;

        @Option(names = "--rtol", paramLabel = "R", description = "Relative tolerance of checks (default 1e-6).")
        double rtol = GradientCheck.DEFAULT_RTOL;

        @Option(names = "--atol", paramLabel = "A", description = "Absolute tolerance of checks (default 1e-9).")
        double atol = GradientCheck.DEFAULT_ATOL;

        @Option(names = "--debug", description = "Print stack traces of errors.")
        boolean debug;

        @Option(names = "--out", paramLabel = "DIR",
                description = "Folder plots are written in, and below which every file written stays (default: the model file's folder).")
        Path out;

        @Option(names = "--force", description = "Replace an existing file even when it is not of the kind chainrule writes there.")
        boolean force;

        @Option(names = "--samples", paramLabel = "N", description = "Check at most N elements, a seeded sample (default: all).")
        int samples;

        @Option(names = "--max-elements", paramLabel = "N",
                description = "Refuse tensors of more than N elements (default: 268435456, 2 GiB of numbers).")
        long maxElements = dev.chainrule.graph.Limits.DEFAULT_MAX_ELEMENTS;

        @Option(names = "--allow-read", paramLabel = "DIR",
                description = "Let csv(...) read files under DIR too, not only in the model's folder (repeatable).")
        List<Path> allowRead = new ArrayList<>();

        @Option(names = "--params", paramLabel = "FILE",
                description = "Set the params from a file written by 'save params to ...' (names and shapes are checked).")
        Path params;

        @Option(names = "--max-nodes", paramLabel = "N",
                description = "Refuse models whose graph grows past N nodes (default: 33554432).")
        long maxNodes = dev.chainrule.graph.Limits.DEFAULT_MAX_NODES;

        /** Sets the params of {@code model} from the --params file, if one is given. */
        void loadParams(Model model) {
            if (params == null) {
                return;
            }
            try {
                model.loadParams(params, params.toString());
            } catch (dev.chainrule.io.FileRefused | dev.chainrule.model.ParamsFile.Refused refused) {
                throw new FlagException("--params", refused.getMessage());
            }
        }

        /** The settings a model is built under: its limits and the folders it may read; they travel with the model. */
        ModelOptions modelOptions() {
            if (maxElements < 1 || maxElements > dev.chainrule.graph.Limits.HARD_MAX_ELEMENTS) {
                throw new FlagException("--max-elements", "--max-elements must be between 1 and " + dev.chainrule.graph.Limits.HARD_MAX_ELEMENTS
                        + ", not " + maxElements);
            }
            if (maxNodes < 1 || maxNodes > dev.chainrule.graph.Limits.HARD_MAX_NODES) {
                throw new FlagException("--max-nodes", "--max-nodes must be between 1 and " + dev.chainrule.graph.Limits.HARD_MAX_NODES
                        + ", not " + maxNodes);
            }
            return new ModelOptions(new dev.chainrule.graph.Limits(maxElements, maxNodes), allowRead);
        }

        Options options() {
            if (digits < 1 || digits > 17) {
                throw new FlagException("--digits", "--digits must be between 1 and 17, not " + digits);
            }
            if (!(rtol >= 0)) {
                throw new FlagException("--rtol", "--rtol must be at least 0, not " + rtol);
            }
            if (!(atol >= 0)) {
                throw new FlagException("--atol", "--atol must be at least 0, not " + atol);
            }
            if (samples < 0) {
                throw new FlagException("--samples", "--samples must be at least 0, not " + samples);
            }
            return new Options(format, digits, rtol, atol, out, samples, force, false, full);
        }
    }

    /** Writes results as text or JSON and remembers whether a check failed. */
    static final class Printer {
        final PrintWriter out;
        final Shared shared;
        PrintWriter err = new PrintWriter(System.err, true);
        boolean checkFailed;

        Printer(PrintWriter out, Shared shared) {
            this.out = out;
            this.shared = shared;
        }

        PrintWriter err() {
            return err;
        }

        void emit(Result result, Options options) {
            out.print(shared.json ? Json.write(result.json()) + "\n" : result.text(options));
            out.flush();
            if (result instanceof Result.Checked c && !c.report().ok() || result instanceof Result.RulesChecked r && !r.ok()) {
                checkFailed = true;
            }
        }

        /** Runs a model's statements, each result under the statement that asked for it. */
        int runStatements(Model model) {
            Session session = new Session(model, shared.options()).withProgress(ProgressBar.forTerminal(err(), shared.json));
            boolean first = true;
            for (Command command : model.commands()) {
                Result result = session.run(command);
                if (!shared.json) {
                    out.print(first ? "" : "\n");
                    out.println((shared.format == Format.ASCII ? "> " : "\u25b8 ") + command.span().text());
                }
                first = false;
                emit(result, session.options());
            }
            return status();
        }

        int status() {
            return checkFailed ? Main.CHECK_FAILED : 0;
        }
    }

    /** The common work of every command on a model: load, set, print results, exit status. */
    abstract static class ModelCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Shared shared = new Shared();

        private Printer printer;

        Printer printer() {
            if (printer == null) {
                printer = new Printer(spec.commandLine().getOut(), shared);
                printer.err = spec.commandLine().getErr();
            }
            return printer;
        }

        Model load(Path file) {
            Model model = Model.load(file, shared.modelOptions());
            model.setAll(shared.set);
            shared.loadParams(model);
            return model;
        }

        /** A session over the model, drawing a progress bar of long statements on a terminal. */
        Session session(Model model) {
            return new Session(model, shared.options()).withProgress(ProgressBar.forTerminal(printer().err(), shared.json));
        }

        void emit(Result result, Options options) {
            printer().emit(result, options);
        }

        int status() {
            return printer().status();
        }

        static Command.Target target(Model model, String of) {
            Node node = model.node("--of", of);
            return new Command.Target(node, of.trim(), new Source("--of", of).whole());
        }
    }

    /** Commands that take FILE and --of. */
    abstract static class TargetCommand extends ModelCommand {
        @Parameters(index = "0", paramLabel = "FILE", description = "The model file.")
        Path file;

        @Option(names = "--of", required = true, paramLabel = "EXPR", description = "The node (or expression) to differentiate.")
        String of;
    }

    @CommandLine.Command(name = "run", mixinStandardHelpOptions = true, description = "Run the statements of a model file (or of an embedded example).")
    static final class Run extends ModelCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "The model file.")
        Path file;

        @Option(names = "--example", paramLabel = "NAME", description = "Run an embedded example instead (see 'examples').")
        String example;

        @Override
        public Integer call() {
            if ((file == null) == (example == null)) {
                throw new UsageException("run needs a FILE or --example NAME (one of them)");
            }
            Model model;
            if (file != null) {
                model = load(file);
            } else {
                model = Model.parse(Examples.source(example), shared.modelOptions());
                model.setAll(shared.set);
                shared.loadParams(model);
            }
            return printer().runStatements(model);
        }
    }

    @CommandLine.Command(name = "demo", mixinStandardHelpOptions = true, description = "Run the embedded 2-2-2 backpropagation example end to end.")
    static final class Demo extends ModelCommand {
        @Override
        public Integer call() {
            return demo(printer());
        }

        static int demo(Printer printer) {
            Model model = Model.parse(Examples.source(Examples.DEMO), printer.shared.modelOptions());
            model.setAll(printer.shared.set);
            if (!printer.shared.json) {
                printer.out.println("chainrule demo: the 2-2-2 sigmoid network of the classic step-by-step");
                printer.out.println("backpropagation tutorial (embedded example '" + Examples.DEMO + "').");
                printer.out.println("Run 'chainrule --help' for the commands, 'chainrule examples' for more models.");
                printer.out.println();
            }
            return printer.runStatements(model);
        }
    }

    @CommandLine.Command(name = "examples", mixinStandardHelpOptions = true, description = "List the embedded examples, or show one's source.")
    static final class ListExamples implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--show", paramLabel = "NAME", description = "Print the source of one example (to copy it and change it).")
        String show;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (show != null) {
                out.print(Examples.source(show).text());
                out.flush();
                return 0;
            }
            var examples = Examples.list();
            int width = examples.keySet().stream().mapToInt(String::length).max().orElse(0);
            examples.forEach((name, about) -> out.println(name + " ".repeat(width - name.length() + 2) + about));
            out.println();
            out.println("Run one with: chainrule run --example NAME; see its source with: chainrule examples --show NAME");
            return 0;
        }
    }

    @CommandLine.Command(name = "eval", mixinStandardHelpOptions = true, description = "Print the value of every named node and leaf.")
    static final class Eval extends ModelCommand {
        @Parameters(index = "0", paramLabel = "FILE", description = "The model file.")
        Path file;

        @Override
        public Integer call() {
            Session session = session(load(file));
            emit(session.values(), session.options());
            return status();
        }
    }

    @CommandLine.Command(name = "grad", mixinStandardHelpOptions = true, description = "Print the gradient of --of by reverse mode.")
    static final class Grad extends TargetCommand {
        @Option(names = "--wrt", paramLabel = "A,B",
                description = "What to differentiate against: leaves, any named node (h1, h[2], h1.net), or elements (W1[0, 1]); default: every param.")
        String wrt;

        @Override
        public Integer call() {
            Model model = load(file);
            Session session = session(model);
            emit(session.gradientOf(target(model, of), model.targets("--wrt", wrt)), session.options());
            return status();
        }
    }

    @CommandLine.Command(name = "derive", mixinStandardHelpOptions = true, description = "Print the simplified symbolic derivative of --of.")
    static final class Derive extends TargetCommand {
        @Option(names = "--wrt", required = true, paramLabel = "X",
                description = "What to differentiate against: a leaf, any named node (its inputs held fixed), or one element.")
        String wrt;

        @Override
        public Integer call() {
            Model model = load(file);
            Session session = session(model);
            Command.Target target = target(model, of);
            emit(session.derivative(target, model.target("--wrt", wrt), target.span()), session.options());
            return status();
        }
    }

    @CommandLine.Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write --of and its gradient as code: the forward pass and the reverse sweep in the model's names.")
    static final class Export extends TargetCommand {
        @Option(names = "--wrt", paramLabel = "A,B", description = "The whole inputs and params to differentiate against; default: every param --of depends on.")
        String wrt;

        @Option(names = "--to", required = true, paramLabel = "TARGET",
                description = "java (a class needing only the JDK), numpy, pytorch (an nn.Module and an autograd.Function), c (a C99 header) or latex.")
        dev.chainrule.export.Target to;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE",
                description = "Write to FILE (under --out, or the model's folder) instead of printing; its name names the class or function.")
        String output;

        @Override
        public Integer call() {
            Model model = load(file);
            Command.Target target = target(model, of);
            if (!target.node().shape().isScalar()) {
                throw new FlagException("--of", "export writes the gradient of a scalar; " + of + " is a " + target.node().shape() + " value");
            }
            List<Node> leaves = model.trainable("--wrt", wrt, target.node());
            String name = to.codeName(output == null ? null : Path.of(output).getFileName().toString().replaceFirst("\\.[^.]*$", ""));
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new FlagException("-o", "the name of the file names the " + (to == dev.chainrule.export.Target.JAVA ? "class" : "function")
                        + ", so it is a word of letters, digits and _, not " + name);
            }
            String code;
            try {
                code = dev.chainrule.export.Exporter.export(model, target.node(), target.label(), leaves, to, name, file.getFileName().toString());
            } catch (IllegalArgumentException unsupported) {
                throw new FlagException("--to", unsupported.getMessage());
            }
            if (output == null) {
                printer().out.print(code);
                printer().out.flush();
                return 0;
            }
            Path folder = (shared.out != null ? shared.out : file.toAbsolutePath().getParent()).toAbsolutePath().normalize();
            Path written;
            try {
                written = dev.chainrule.io.Confinement.resolve(folder, output, List.of());
                if (written == null) {
                    throw new FlagException("-o", "export writes files in " + folder + " and below; " + output
                            + " is outside it (choose the folder with --out DIR)");
                }
                dev.chainrule.io.SafeWrite.write(written, code.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        dev.chainrule.io.SafeWrite.Kind.SOURCE, shared.force);
            } catch (dev.chainrule.io.FileRefused refused) {
                throw new FlagException("-o", refused.getMessage());
            }
            printer().out.println("wrote " + written);
            printer().out.flush();
            return 0;
        }
    }

    @CommandLine.Command(name = "explain", mixinStandardHelpOptions = true, description = "Print the chain-rule expansion of d(--of)/d(--wrt).")
    static final class Explain extends TargetCommand {
        @Option(names = "--wrt", required = true, paramLabel = "X",
                description = "What to differentiate against: a leaf, any named node (net_o1, h[2], h1.net), or one element (W1[0, 1]).")
        String wrt;

        @Option(names = "--expand", description = "Open the calls of functions written with def, which are folded into one step by default.")
        boolean expand;

        @Override
        public Integer call() {
            Model model = load(file);
            Session session = session(model);
            Command.Target target = target(model, of);
            emit(session.explanation(target, model.target("--wrt", wrt), expand, target.span()), session.options());
            return status();
        }
    }

    @CommandLine.Command(name = "check", mixinStandardHelpOptions = true,
            description = "Compare reverse-mode gradients with finite differences (or, with --rules, every rule of the op table); exit 1 if any disagrees.")
    static final class Check extends ModelCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "The model file.")
        Path file;

        @Option(names = "--of", paramLabel = "EXPR", description = "The node (or expression) to differentiate.")
        String of;

        @Option(names = "--wrt", paramLabel = "A,B",
                description = "What to check against: leaves, any named node, or elements (default: every param).")
        String wrt;

        @Option(names = "--rules", description = "Check the derivative rule of every operation against finite differences, at seeded points of its domain.")
        boolean rules;

        @Override
        public Integer call() {
            if (rules) {
                if (file != null || of != null || wrt != null) {
                    throw new UsageException("check --rules takes no FILE, --of or --wrt: it checks the op table itself");
                }
                return checkRules();
            }
            if (file == null || of == null) {
                throw new UsageException("check needs a FILE and --of EXPR (or --rules)");
            }
            Model model = load(file);
            Session session = session(model);
            emit(session.checkOf(target(model, of), model.targets("--wrt", wrt)), session.options());
            return status();
        }

        private int checkRules() {
            emit(Result.RulesChecked.of(dev.chainrule.check.RuleCheck.run(1)), shared.options());
            return status();
        }
    }

    @CommandLine.Command(name = "train", mixinStandardHelpOptions = true, description = "Gradient descent on the params (or --wrt leaves) to lower --of.")
    static final class Train extends TargetCommand {
        @Option(names = "--wrt", paramLabel = "A,B", description = "Leaves to train (default: every param).")
        String wrt;

        @Option(names = "--lr", required = true, paramLabel = "R", description = "Learning rate.")
        double lr;

        @Option(names = "--steps", required = true, paramLabel = "N", description = "Number of steps.")
        int steps;

        @Option(names = "--optimizer", paramLabel = "NAME", description = "sgd (the default), momentum or adam.")
        String optimizer = "sgd";

        @Option(names = "--batch", paramLabel = "B",
                description = "Train on mini-batches of B rows of the model's data (its data statement, or the inputs --over names).")
        Integer batch;

        @Option(names = "--over", paramLabel = "X,y", description = "The two inputs whose rows --batch takes (default: the model's data statement).")
        String over;

        @Option(names = "--save", paramLabel = "FILE", description = "Write the trained params to FILE (JSON, as 'save params to' does).")
        String save;

        @Override
        public Integer call() {
            if (steps < 0) {
                throw new FlagException("--steps", "--steps must be at least 0, not " + steps);
            }
            if (!Double.isFinite(lr)) {
                throw new FlagException("--lr", "--lr must be a finite number, not " + lr);
            }
            dev.chainrule.train.Optimizer.Kind kind = dev.chainrule.train.Optimizer.Kind.named(optimizer);
            if (kind == null) {
                throw new FlagException("--optimizer", "unknown optimizer '" + optimizer + "'"
                        + dev.chainrule.diag.Suggestions.didYouMean(optimizer, dev.chainrule.train.Optimizer.Kind.names())
                        + " (sgd, momentum, adam)");
            }
            if (over != null && batch == null) {
                throw new FlagException("--over", "--over names the inputs --batch takes rows of; give --batch B too");
            }
            Model model = load(file);
            Session session = session(model);
            Command.Target target = target(model, of);
            List<Node> leaves = model.trainable("--wrt", wrt, target.node());
            Command.Batch batches;
            try {
                batches = batch == null ? null : model.batches("--batch", batch, "--over", over, target);
            } catch (UsageException e) {
                throw new FlagException(e.getMessage().startsWith("--over") ? "--over" : "--batch", e.getMessage());
            }
            emit(session.train(target, leaves, lr, steps, kind, batches, target.span()), session.options());
            if (save != null) {
                emit(session.saveParams(new dev.chainrule.lang.Ast.PathRef(save, new Source("--save", save).whole())), session.options());
            }
            return status();
        }
    }

    @CommandLine.Command(name = "graph", mixinStandardHelpOptions = true, description = "Print Graphviz DOT of the graph under --of, with values and gradients.")
    static final class Graph extends TargetCommand {
        @Option(names = "--highlight", paramLabel = "X",
                description = "Draw the paths from X (a leaf or any named node: w5, h[2], h1.net) to --of in bold, each edge with its local derivative.")
        String highlight;

        @Override
        public Integer call() {
            Model model = load(file);
            Session session = session(model);
            Command.Target target = target(model, of);
            emit(session.graph(target, highlight == null ? null : model.target("--highlight", highlight)), session.options());
            return status();
        }
    }

    @CommandLine.Command(name = "notebook", mixinStandardHelpOptions = true,
            description = "Run notebooks in-process and store their outputs, or check that stored outputs are current.",
            subcommands = {NotebookRun.class, NotebookCheck.class})
    static final class NotebookCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getOut());
            return Main.BAD_INPUT;
        }
    }

    @CommandLine.Command(name = "run", mixinStandardHelpOptions = true, description = "Execute every code cell and write the outputs into the notebook.")
    static final class NotebookRun implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Notebooks (.ipynb).")
        List<Path> files;

        @Override
        public Integer call() {
            for (Path file : files) {
                dev.chainrule.notebook.Notebooks.run(file);
                spec.commandLine().getOut().println("ran " + file);
            }
            return 0;
        }
    }

    @CommandLine.Command(name = "check", mixinStandardHelpOptions = true, description = "Execute again and fail, naming the cell, if any stored output differs.")
    static final class NotebookCheck implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Notebooks (.ipynb).")
        List<Path> files;

        @Override
        public Integer call() {
            int stale = 0;
            for (Path file : files) {
                List<String> differences = dev.chainrule.notebook.Notebooks.check(file);
                differences.forEach(spec.commandLine().getErr()::println);
                stale += differences.size();
                if (differences.isEmpty()) {
                    spec.commandLine().getOut().println(file + ": current");
                }
            }
            return stale == 0 ? 0 : Main.CHECK_FAILED;
        }
    }

    @CommandLine.Command(name = "kernel", mixinStandardHelpOptions = true,
            description = "Run the Jupyter kernel on a connection file (Jupyter starts it so), or install its kernelspec.",
            subcommands = {KernelInstall.class})
    static final class KernelCommand implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "CONNECTION_FILE", description = "The connection file Jupyter writes.")
        Path connection;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (connection == null) {
                throw new UsageException("kernel needs the connection file Jupyter gives it; to install the kernel, run 'chainrule kernel install'");
            }
            dev.chainrule.notebook.kernel.ChainKernel.run(connection);
            return 0;
        }
    }

    @CommandLine.Command(name = "install", mixinStandardHelpOptions = true, description = "Write the kernelspec that starts the kernel from this jar.")
    static final class KernelInstall implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--user", description = "Install for this user (the default).")
        boolean user;

        @Option(names = "--prefix", paramLabel = "DIR", description = "Install under DIR/share/jupyter/kernels.")
        Path prefix;

        @Override
        public Integer call() {
            Path folder = dev.chainrule.notebook.kernel.KernelSpec.install(prefix);
            spec.commandLine().getOut().println("installed the chainrule kernel in " + folder);
            return 0;
        }
    }

    @CommandLine.Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"The chain-rule explorer in the browser: edit a model, click a node to see its chain rule, "
                    + "step the backward pass, train and watch the loss and the decision boundary.",
                "Serves on 127.0.0.1 only and prints the URL to open, with its access token; Ctrl-C stops it. "
                    + "With no FILE or --example, opens the 2-2-2 tutorial network."})
    static final class Serve implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.ParentCommand
        Root root;

        @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
                description = "The model file; the page opens and saves .chain files in its folder.")
        Path file;

        @Option(names = "--example", paramLabel = "NAME", description = "Open an embedded example instead (see 'examples').")
        String example;

        @Option(names = "--port", paramLabel = "N", defaultValue = "8765",
                description = "The port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 takes any free one).")
        int port;

        @Override
        public Integer call() throws Exception {
            if (file != null && example != null) {
                throw new UsageException("serve opens a FILE or --example NAME, not both");
            }
            if (port < 0 || port > 65535) {
                throw new UsageException("--port takes a port from 0 to 65535, not " + port);
            }
            String name;
            String text;
            java.nio.file.Path folder;
            if (file != null) {
                try {
                    text = dev.chainrule.io.BoundedRead.model(file);
                } catch (dev.chainrule.io.FileRefused refused) {
                    throw new UsageException(refused.getMessage());
                }
                name = file.toString();
                java.nio.file.Path parent = file.toAbsolutePath().getParent();
                folder = parent == null ? java.nio.file.Path.of(".") : parent;
            } else {
                dev.chainrule.diag.Source source = Examples.source(example == null ? Examples.DEMO : example);
                name = source.name();
                text = source.text();
                folder = java.nio.file.Path.of(".");
            }
            dev.chainrule.explore.Workspace workspace = new dev.chainrule.explore.Workspace(name, text, Options.defaults());
            dev.chainrule.web.ExplorerServer server;
            try {
                server = new dev.chainrule.web.ExplorerServer(workspace, folder, port, root.debug, System.err);
            } catch (java.net.BindException e) {
                throw new UsageException("port " + port + " on 127.0.0.1 is taken; choose another with --port N (0 takes any free one)");
            }
            String url = server.start();
            java.io.PrintWriter out = spec.commandLine().getOut();
            out.println("chainrule explorer: " + url);
            out.println("Open it in a browser; files are opened and saved in " + folder.toAbsolutePath().normalize()
                    + ". Ctrl-C stops the server.");
            out.flush();
            new java.util.concurrent.CountDownLatch(1).await();
            return 0;
        }
    }

    @CommandLine.Command(name = "repl", mixinStandardHelpOptions = true, description = "An interactive prompt: line editing, history, completion, :help.")
    static final class ReplCommand implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            if (System.console() == null) {
                dev.chainrule.notebook.Repl.on(System.in, System.out);
            } else {
                dev.chainrule.notebook.Repl.interactive(writer -> new ProgressBar(writer));
            }
            return 0;
        }
    }
}
