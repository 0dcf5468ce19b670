package dev.chainrule.cli;

import static dev.chainrule.testing.Cli.file;
import static dev.chainrule.testing.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.testing.Cli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Messages say where and when: the definition being run, the training step and param, the flag's value. */
class TruthfulMessagesTest {
    @TempDir
    Path dir;

    private static String rendered(Cli.Run r) {
        return r.err().strip();
    }

    @Test
    void anExpressionSharedWithAnUnusedDefinitionIsReportedWhereItIsUsed() {
        String model = file(dir, "m.chain", "param w = -1\na = log(w) * 2\nb = log(w) + 1\nprint b\ngrad b\n");
        Cli.Run r = run("run", model);
        assertEquals(Main.BAD_INPUT, r.status());
        assertEquals(model + ":3:5: log of a negative number: log(-1) is NaN\nb = log(w) + 1\n    ^^^^^^", rendered(r));
        String first = file(dir, "n.chain", "param w = -1\na = log(w) * 2\nb = log(w) + 1\nprint a\n");
        assertEquals(first + ":2:5: log of a negative number: log(-1) is NaN\na = log(w) * 2\n    ^^^^^^", rendered(run("run", first)));
    }

    @Test
    void aTensorModelThatLeavesADomainInTrainingNamesTheStepAndTheParam() {
        String model = file(dir, "m.chain", "param W = [[1, 2], [3, 4]]\ninput x = [1, 1]\nE = sum(log(W @ x))\ntrain E lr 10 steps 100\n");
        assertEquals(model + ":3:9: training stopped at step 2: log of a negative number: log(-3.66666667) is NaN at [0];"
                + " it depends on W, which step 1 moved there (a smaller learning rate may help)\nE = sum(log(W @ x))\n        ^^^^^^^^^^",
                rendered(run("run", model)));
    }

    @Test
    void aDerivativeThatIsInfiniteIsReportedAtItsFunction() {
        String model = file(dir, "m.chain", "param w = 0\nE = sqrt(w)\nderive E wrt w\n");
        assertEquals(model + ":2:5: the derivative of sqrt(0) is inf\nE = sqrt(w)\n    ^^^^^^^", rendered(run("run", model)));
        String graph = file(dir, "g.chain", "param w = 0\ny = 3 * w\nE = sqrt(y) + w\n");
        Cli.Run r = run("graph", graph, "--of", "E");
        assertEquals(Main.BAD_INPUT, r.status());
        assertEquals(graph + ":3:5: the derivative of sqrt(0) is inf\nE = sqrt(y) + w\n    ^^^^^^^", rendered(r));
    }

    @Test
    void largeRoundedNumbersDoNotLookExact() {
        String model = file(dir, "m.chain", "print 2^40, 2^20\n");
        assertEquals("2^40 = 1.09951163e+12\n2^20 = 1048576\n", run("run", model).out().lines().skip(1)
                .reduce("", (s, l) -> s + l + "\n"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            run   | --digits       | 0        | --digits must be between 1 and 17, not 0
            run   | --digits       | 18       | --digits must be between 1 and 17, not 18
            check | --samples      | -1       | --samples must be at least 0, not -1
            check | --rtol         | -1       | --rtol must be at least 0, not -1.0
            check | --atol         | NaN      | --atol must be at least 0, not NaN
            run   | --max-elements | 0        | --max-elements must be between 1 and 2147483639, not 0
            run   | --max-nodes    | 0        | --max-nodes must be between 1 and 2147483639, not 0
            train | --steps        | -3       | --steps must be at least 0, not -3
            train | --lr           | Infinity | --lr must be a finite number, not Infinity
            """)
    void aFlagOutOfItsRangeIsADiagnosticOnTheCommandLine(String command, String flag, String value, String message) {
        String model = file(dir, "m.chain", "param w = 1\nE = w^2\n");
        String[] args = command.equals("train") ? new String[] {command, model, "--of", "E", "--lr", flag.equals("--lr") ? value : "0.1",
                    "--steps", flag.equals("--steps") ? value : "1"}
                : command.equals("check") ? new String[] {command, model, "--of", "E", flag, value} : new String[] {command, model, flag, value};
        Cli.Run r = run(args);
        assertEquals(Main.BAD_INPUT, r.status());
        String line = "chainrule " + String.join(" ", args);
        int column = line.lastIndexOf(" " + value) + 2;
        assertEquals("command line:1:" + column + ": " + message + "\n" + line + "\n" + " ".repeat(column - 1)
                + "^".repeat(value.length()) + "\nTry 'chainrule " + command + " --help'.", rendered(r));
    }
}
