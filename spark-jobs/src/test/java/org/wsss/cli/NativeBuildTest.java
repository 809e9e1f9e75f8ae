package org.wsss.cli;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeBuildTest {
    private static final Set<String> OLD = Set.of("fpu", "sse2", "sse4_2", "avx");
    private static final Set<String> HASWELL = Set.of("sse4_2", "avx", "avx2", "fma", "bmi2");
    private static final Set<String> SKYLAKE_X = Set.of("avx", "avx2", "fma", "avx512f", "avx512cd", "avx512bw",
            "avx512dq", "avx512vl");

    @Test
    void readsTheFlagsOfTheFirstProcessor() {
        String cpuinfo = """
                processor\t: 0
                model name\t: Some CPU
                flags\t\t: fpu sse2 avx2  fma
                bogomips\t: 4000.00

                processor\t: 1
                flags\t\t: fpu avx512f
                """;
        assertEquals(Set.of("fpu", "sse2", "avx2", "fma"), NativeBuild.cpuFlags(cpuinfo));
        assertEquals(Set.of(), NativeBuild.cpuFlags("processor\t: 0\nvendor_id\t: ARM\n"));
    }

    @Test
    void aGenericBuildOnAnAvx512CpuPointsToTheAvx512Profile() {
        assertEquals("CPU supports AVX-512: a faster build is available with -Pavx512 "
                + "(nd4j-native classifier linux-x86_64-avx512)", NativeBuild.advice("linux-x86_64", SKYLAKE_X));
        assertEquals("CPU supports AVX2: a faster build is available with -Pavx2 "
                + "(nd4j-native classifier linux-x86_64-avx2)", NativeBuild.advice("linux-x86_64", HASWELL));
        assertTrue(NativeBuild.advice("linux-x86_64-avx2", SKYLAKE_X).contains("-Pavx512"));
    }

    @Test
    void theOnednnBuildIsNotSentToACpuSpecificBuildWithoutOnednn() {
        assertEquals("none: oneDNN picks AVX2 kernels for the convolutions at run time; -Pavx2 (nd4j-native "
                + "classifier linux-x86_64-avx2, without oneDNN) compiles the other ops for AVX2 but runs convolutions "
                + "slower", NativeBuild.advice("linux-x86_64-onednn", HASWELL));
        assertTrue(NativeBuild.advice("linux-x86_64-onednn", SKYLAKE_X).startsWith("none: oneDNN picks AVX-512"));
        assertTrue(NativeBuild.advice("linux-x86_64-onednn-avx2", SKYLAKE_X).startsWith("none: oneDNN picks AVX-512"));
        assertEquals("none: this build uses the widest instructions the CPU has (generic x86-64)",
                NativeBuild.advice("linux-x86_64-onednn", OLD));
    }

    @Test
    void aBuildMatchingTheCpuNeedsNothing() {
        assertEquals("none: this build uses the widest instructions the CPU has (AVX-512)",
                NativeBuild.advice("linux-x86_64-avx512", SKYLAKE_X));
        assertEquals("none: this build uses the widest instructions the CPU has (AVX2)",
                NativeBuild.advice("linux-x86_64-avx2", HASWELL));
        assertEquals("none: this build uses the widest instructions the CPU has (generic x86-64)",
                NativeBuild.advice("linux-x86_64", OLD));
    }

    @Test
    void avx2WithoutFmaOrPartOfAvx512DoesNotCount() {
        // AVX2 without FMA (a few VIA/Zhaoxin parts) and AVX-512F alone (Knights Landing lacks BW/DQ/VL)
        assertEquals(0, NativeBuild.levelOf(Set.of("avx", "avx2")));
        assertEquals(1, NativeBuild.levelOf(Set.of("avx2", "fma", "avx512f", "avx512cd")));
        assertEquals("this build needs AVX-512 but the CPU has only AVX2: build with -Pavx2",
                NativeBuild.advice("linux-x86_64-avx512", HASWELL));
        assertEquals("this build needs AVX2 but the CPU has only generic x86-64: build with the default profile (no -P)",
                NativeBuild.advice("linux-x86_64-avx2", OLD));
    }

    @Test
    void unknownCpuOrNoCpuBackendIsSaidSo() {
        assertTrue(NativeBuild.advice("linux-x86_64", Set.of()).startsWith("CPU flags unknown"));
        assertTrue(NativeBuild.advice(null, SKYLAKE_X).startsWith("no nd4j-native library loaded"));
    }

    @Test
    void convolutionsNameOneDnnOnlyForTheOnednnBuilds() {
        assertTrue(NativeBuild.convolutions("linux-x86_64-onednn").contains("through oneDNN (this build"));
        assertTrue(NativeBuild.convolutions("linux-x86_64-onednn-avx2").contains("through oneDNN (this build"));
        String generic = NativeBuild.convolutions("linux-x86_64");
        assertTrue(generic.contains("generic kernel") && generic.contains("onednn"), generic);
        assertTrue(NativeBuild.convolutions("linux-x86_64-avx512").contains("generic kernel"));
        assertTrue(NativeBuild.convolutions(null).contains("cuDNN"));
    }
}
