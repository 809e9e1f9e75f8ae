package org.wsss.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The whole pipeline on the built-in synthetic dataset with a local Spark; prints every "
                + "stage's metrics. Same as `wsss pipeline` with the synthetic defaults."})
final class DemoCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Option(names = "--run-dir", paramLabel = "DIR", defaultValue = "runs/demo",
            description = "Run directory (default: ${DEFAULT-VALUE}).")
    String runDir;

    @Override
    public Integer call() throws Exception {
        return PipelineCommand.runAndPrint(options, runDir, null, null);
    }
}
