package org.wsss.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The wsss command line: {@code wsss <command> [--conf FILE]... [--set key=value]... --run-dir DIR}. */
@Command(name = "wsss", mixinStandardHelpOptions = true, version = "wsss-spark 0.1.0",
        description = {"Weakly supervised semantic segmentation on Spark: cheap labels in, dense labels out."},
        subcommands = {DemoCommand.class, PipelineCommand.class, ConfigCommand.class, KernelCommand.class,
                DoctorCommand.class, ReportCommand.class, ExportSyntheticCommand.class, ExportPngCommand.class,
                ExportSubmissionCommand.class,
                CommandLine.HelpCommand.class})
public final class Wsss implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns the exit code: 0 ok, 2 bad usage or configuration, 1 a failed job. */
    public static int execute(String... args) {
        CommandLine cl;
        if (args.length > 0 && args[0].equals("kernel")) {
            // users call a kernel once per image from their own scripts: picocli builds the model of every
            // command it is given, so a kernel call gets only its own (a fifth of a second less per call)
            cl = new CommandLine(new KernelCommand()).setCommandName("wsss kernel");
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
        } else {
            cl = new CommandLine(new Wsss());
            for (String stage : org.wsss.jobs.Stages.names()) {
                cl.addSubcommand(stage, StageCommand.commandLine(stage));
            }
        }
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            if (ex instanceof IllegalArgumentException || ex instanceof IllegalStateException) {
                err.println("wsss " + cmd.getCommandName() + ": error: " + ex.getMessage());
                err.flush();
                return 2;
            }
            err.println("wsss " + cmd.getCommandName() + ": failed: " + ex);
            ex.printStackTrace(err);
            err.flush();
            return 1;
        });
        return cl.execute(args);
    }
}
