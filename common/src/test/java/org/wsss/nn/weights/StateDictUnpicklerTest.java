package org.wsss.nn.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-assembled pickles (opcodes as pickletools names them) for what the fixtures from torch.save do not show. */
class StateDictUnpicklerTest {
    private static byte[] pickle(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String refusal(String latin1) {
        return assertThrows(IllegalArgumentException.class, () -> StateDictUnpickler.load(pickle(latin1)))
                .getMessage();
    }

    @Test
    void plainContainersAndNumbers() {
        // PROTO 2, EMPTY_DICT, MARK, 'a' BININT1 7, 'b' (BININT -2, BINFLOAT 0.5, NEWTRUE, NONE) TUPLE,
        // 'c' EMPTY_LIST BINPUT 0, SETITEMS, STOP
        Object o = StateDictUnpickler.load(pickle("\u0080\u0002}(X\u0001\u0000\u0000\u0000aK\u0007"
                + "X\u0001\u0000\u0000\u0000b(J\u00fe\u00ff\u00ff\u00ffG\u003f\u00e0\u0000\u0000\u0000\u0000\u0000\u0000"
                + "\u0088Nt" + "X\u0001\u0000\u0000\u0000c]q\u0000u."));
        Map<?, ?> m = (Map<?, ?>) o;
        assertEquals(7L, m.get("a"));
        assertEquals(new StateDictUnpickler.Tuple(java.util.Arrays.asList(-2L, 0.5, true, null)), m.get("b"));
        assertEquals(List.of(), m.get("c"));
    }

    @Test
    void globalsOutsideTheWhitelistAreRefusedBeforeAnythingIsCalled() {
        // GLOBAL os.system, 'ls' TUPLE1, REDUCE: the classic pickle exploit.
        String m = refusal("\u0080\u0002cos\nsystem\nX\u0002\u0000\u0000\u0000ls\u0085R.");
        assertTrue(m.contains("os.system"), m);
        // STACK_GLOBAL spelling of the same.
        m = refusal("\u0080\u0004\u008c\u0008builtins\u008c\u0004eval\u0093.");
        assertTrue(m.contains("builtins.eval"), m);
    }

    @Test
    void unsupportedOpcodesAndHostileLengthsAreRefused() {
        assertTrue(refusal("\u0080\u0002)\u0081.").contains("opcode 0x81"), "NEWOBJ");
        assertTrue(refusal("\u0080\u0002X\u00ff\u00ff\u00ff\u007fab.").contains("runs past the end"));
        assertTrue(refusal("\u0080\u0002X\u0005\u0000").contains("truncated"));
        assertTrue(refusal("\u0080\u0002h\u0009.").contains("memo entry 9"));
    }

    @Test
    void persistentIdsMustBeTypedStorages() {
        // ('storage', torch.FloatStorage, '0', 'cpu', 4) BINPERSID is a storage; ('file', '/etc/passwd') is not.
        Object s = StateDictUnpickler.load(pickle("\u0080\u0002(X\u0007\u0000\u0000\u0000storagectorch\nFloatStorage\n"
                + "X\u0001\u0000\u0000\u00000X\u0003\u0000\u0000\u0000cpuK\u0004tQ."));
        assertEquals(new StateDictUnpickler.StorageRef(TensorDtype.F32, "0", 4), s);
        String m = refusal("\u0080\u0002(X\u0004\u0000\u0000\u0000fileX\u0001\u0000\u0000\u0000xtQ.");
        assertTrue(m.contains("not a typed torch storage"), m);
    }
}
