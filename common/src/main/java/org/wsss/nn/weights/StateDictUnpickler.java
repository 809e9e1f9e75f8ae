package org.wsss.nn.weights;

import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pickle interpreter for what {@code torch.save} writes for a state_dict (or a plain dict holding one): dicts,
 * lists, tuples, strings, numbers, {@code collections.OrderedDict}, and tensors rebuilt by
 * {@code torch._utils._rebuild_tensor_v2} (or {@code _rebuild_parameter}) from persistent storages. It calls no
 * Python code: a GLOBAL outside that whitelist, or an opcode outside that subset, is an
 * {@link IllegalArgumentException} naming it, so a hostile pickle cannot do more than be refused.
 */
final class StateDictUnpickler {
    /** A whitelisted Python global, by module and name. */
    record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    /** A Python tuple, kept apart from lists because persistent ids and call arguments are tuples. */
    record Tuple(List<Object> items) {
    }

    /** A persistent storage reference: zip record {@code data/<key>} holding {@code elements} values of dtype. */
    record StorageRef(TensorDtype dtype, String key, long elements) {
    }

    /** A tensor view of a storage: offset in elements, sizes and strides in elements. */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
    }

    private static final Map<String, TensorDtype> STORAGES = Map.of(
            "FloatStorage", TensorDtype.F32, "HalfStorage", TensorDtype.F16, "BFloat16Storage", TensorDtype.BF16,
            "DoubleStorage", TensorDtype.F64, "LongStorage", TensorDtype.I64, "IntStorage", TensorDtype.I32,
            "ShortStorage", TensorDtype.I16, "CharStorage", TensorDtype.I8, "ByteStorage", TensorDtype.U8,
            "BoolStorage", TensorDtype.BOOL);
    private static final String ORDERED_DICT = "collections.OrderedDict";
    private static final String REBUILD_TENSOR_V2 = "torch._utils._rebuild_tensor_v2";
    private static final String REBUILD_TENSOR = "torch._utils._rebuild_tensor";
    private static final String REBUILD_PARAMETER = "torch._utils._rebuild_parameter";
    private static final Set<String> CALLABLES = Set.of(ORDERED_DICT, REBUILD_TENSOR_V2, REBUILD_TENSOR,
            REBUILD_PARAMETER);
    private static final Object MARK = new Object();

    private final ByteBuffer in;
    private final List<Object> stack = new ArrayList<>();
    private final Deque<Integer> marks = new ArrayDeque<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private StateDictUnpickler(byte[] pickle) {
        this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** @return the unpickled object: maps, lists, {@link Tuple}s, strings, numbers, booleans, null, {@link TensorRef}s */
    static Object load(byte[] pickle) {
        try {
            return new StateDictUnpickler(pickle).run();
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("the pickle ends in the middle of an opcode (truncated)");
        }
    }

    private Object run() {
        while (true) {
            int at = in.position();
            int op = u8();
            switch (op) {
                case 0x80 -> {
                    int protocol = u8();
                    if (protocol > 5) {
                        throw new IllegalArgumentException("pickle protocol " + protocol + " is unknown");
                    }
                }
                case 0x95 -> bytes(8); // FRAME: a length hint only
                case '.' -> {
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw new IllegalArgumentException("pickle stops with " + stack.size()
                                + " objects on the stack");
                    }
                    return stack.get(0);
                }
                case '(' -> {
                    marks.push(stack.size());
                    stack.add(MARK);
                }
                case '0' -> pop();
                case '1' -> popMark();
                case '2' -> push(peek());
                case 'N' -> push(null);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'K' -> push((long) u8());
                case 'M' -> push((long) (in.getShort() & 0xffff));
                case 'J' -> push((long) in.getInt());
                case 0x8a -> push(longFromBytes(bytes(u8())));
                case 0x8b -> push(longFromBytes(bytes(length(in.getInt() & 0xffffffffL))));
                case 'G' -> push(ByteBuffer.wrap(bytes(8)).order(ByteOrder.BIG_ENDIAN).getDouble());
                case 'X' -> push(utf8(length(in.getInt() & 0xffffffffL)));
                case 0x8c -> push(utf8(u8()));
                case 0x8d -> push(utf8(length(in.getLong())));
                case 'U' -> push(new String(bytes(u8()), StandardCharsets.ISO_8859_1));
                case 'T' -> push(new String(bytes(length(in.getInt() & 0xffffffffL)), StandardCharsets.ISO_8859_1));
                case 'C' -> push(bytes(u8()));
                case 'B' -> push(bytes(length(in.getInt() & 0xffffffffL)));
                case ')' -> push(new Tuple(List.of()));
                case 't' -> push(new Tuple(popMark()));
                case 0x85 -> push(tupleOfLast(1));
                case 0x86 -> push(tupleOfLast(2));
                case 0x87 -> push(tupleOfLast(3));
                case ']' -> push(new ArrayList<>());
                case 'l' -> push(new ArrayList<>(popMark()));
                case 'a' -> {
                    Object item = pop();
                    list(peek()).add(item);
                }
                case 'e' -> {
                    List<Object> items = popMark();
                    list(peek()).addAll(items);
                }
                case '}' -> push(new LinkedHashMap<>());
                case 'd' -> {
                    Map<Object, Object> m = new LinkedHashMap<>();
                    putPairs(m, popMark());
                    push(m);
                }
                case 's' -> {
                    Object value = pop();
                    Object key = pop();
                    dict(peek()).put(key, value);
                }
                case 'u' -> {
                    List<Object> pairs = popMark();
                    putPairs(dict(peek()), pairs);
                }
                case 'q' -> memo.put((long) u8(), peek());
                case 'r' -> memo.put(in.getInt() & 0xffffffffL, peek());
                case 0x94 -> memo.put((long) memo.size(), peek());
                case 'h' -> push(memoGet(u8()));
                case 'j' -> push(memoGet(in.getInt() & 0xffffffffL));
                case 'c' -> push(global(line(), line()));
                case 0x93 -> {
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw new IllegalArgumentException("STACK_GLOBAL with non-string operands");
                    }
                    push(global(m, n));
                }
                case 'Q' -> push(persistentLoad(pop()));
                case 'R' -> {
                    Object args = pop();
                    Object callable = pop();
                    push(call(callable, args));
                }
                case 'b' -> {
                    pop(); // OrderedDict's state: the state_dict's _metadata (module versions), not weights
                    if (!(peek() instanceof Map)) {
                        throw new IllegalArgumentException("BUILD on " + describe(peek()) + " is not supported");
                    }
                }
                default -> throw new IllegalArgumentException(String.format(
                        "pickle opcode 0x%02x at byte %d is outside what torch.save writes for a state_dict", op, at));
            }
        }
    }

    private Object global(String module, String name) {
        String qualified = module + "." + name;
        if ((module.equals("torch") && STORAGES.containsKey(name)) || CALLABLES.contains(qualified)) {
            return new Global(module, name);
        }
        throw new IllegalArgumentException("the pickle refers to " + qualified
                + ", which is not a tensor, storage or OrderedDict (only a state_dict is read directly)");
    }

    private Object persistentLoad(Object pid) {
        if (pid instanceof Tuple t && t.items().size() == 5 && "storage".equals(t.items().get(0))
                && t.items().get(1) instanceof Global g && g.module().equals("torch")
                && STORAGES.containsKey(g.name()) && t.items().get(2) instanceof String key
                && t.items().get(4) instanceof Long elements && elements >= 0) {
            return new StorageRef(STORAGES.get(g.name()), key, elements);
        }
        throw new IllegalArgumentException("persistent id " + describe(pid) + " is not a typed torch storage");
    }

    private Object call(Object callable, Object argsObject) {
        if (!(callable instanceof Global g) || !(argsObject instanceof Tuple argsTuple)) {
            throw new IllegalArgumentException("REDUCE of " + describe(callable) + " is not supported");
        }
        List<Object> args = argsTuple.items();
        switch (g.qualified()) {
            case ORDERED_DICT -> {
                if (!args.isEmpty()) {
                    throw new IllegalArgumentException("OrderedDict built from arguments is not supported");
                }
                return new LinkedHashMap<>();
            }
            case REBUILD_TENSOR_V2, REBUILD_TENSOR -> {
                if (args.size() < 4 || !(args.get(0) instanceof StorageRef storage)
                        || !(args.get(1) instanceof Long offset)) {
                    throw new IllegalArgumentException(g.qualified() + " with arguments " + describe(argsTuple));
                }
                return new TensorRef(storage, offset, longs(args.get(2), "size"), longs(args.get(3), "stride"));
            }
            case REBUILD_PARAMETER -> {
                if (args.isEmpty() || !(args.get(0) instanceof TensorRef data)) {
                    throw new IllegalArgumentException(g.qualified() + " with arguments " + describe(argsTuple));
                }
                return data;
            }
            default -> throw new IllegalArgumentException("calling " + g.qualified() + " is not supported");
        }
    }

    private static long[] longs(Object tuple, String what) {
        if (!(tuple instanceof Tuple t)) {
            throw new IllegalArgumentException("tensor " + what + " is " + describe(tuple) + ", not a tuple");
        }
        long[] out = new long[t.items().size()];
        for (int i = 0; i < out.length; i++) {
            if (!(t.items().get(i) instanceof Long v)) {
                throw new IllegalArgumentException("tensor " + what + " holds " + describe(t.items().get(i)));
            }
            out[i] = v;
        }
        return out;
    }

    private static void putPairs(Map<Object, Object> into, List<Object> pairs) {
        if (pairs.size() % 2 != 0) {
            throw new IllegalArgumentException("odd number of items for a dict");
        }
        for (int i = 0; i < pairs.size(); i += 2) {
            into.put(pairs.get(i), pairs.get(i + 1));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> dict(Object o) {
        if (o instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw new IllegalArgumentException("SETITEM on " + describe(o));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        if (o instanceof ArrayList<?> l) {
            return (List<Object>) l;
        }
        throw new IllegalArgumentException("APPEND on " + describe(o));
    }

    static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Global g) {
            return g.qualified();
        }
        return o.getClass().getSimpleName();
    }

    private Tuple tupleOfLast(int n) {
        if (stack.size() - (marks.isEmpty() ? 0 : marks.peek() + 1) < n) {
            throw new IllegalArgumentException("stack underflow");
        }
        List<Object> items = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
        stack.subList(stack.size() - n, stack.size()).clear();
        return new Tuple(items);
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) {
            throw new IllegalArgumentException("no MARK to pop to");
        }
        int mark = marks.pop();
        List<Object> items = new ArrayList<>(stack.subList(mark + 1, stack.size()));
        stack.subList(mark, stack.size()).clear();
        return items;
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() {
        Object o = peek();
        stack.remove(stack.size() - 1);
        return o;
    }

    private Object peek() {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw new IllegalArgumentException("stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private Object memoGet(long index) {
        if (!memo.containsKey(index)) {
            throw new IllegalArgumentException("memo entry " + index + " was never stored");
        }
        return memo.get(index);
    }

    private int u8() {
        return in.get() & 0xff;
    }

    /** A length checked against the bytes left, so a hostile length allocates nothing. */
    private int length(long n) {
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException("length " + n + " runs past the end of the pickle");
        }
        return (int) n;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[length(n)];
        in.get(b);
        return b;
    }

    private String utf8(int n) {
        return new String(bytes(n), StandardCharsets.UTF_8);
    }

    private String line() {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = u8();
            if (c == '\n') {
                return sb.toString();
            }
            sb.append((char) c);
        }
    }

    /** Two's complement little-endian, as LONG1/LONG4 store it; values beyond 64 bits are refused. */
    private static Object longFromBytes(byte[] le) {
        if (le.length == 0) {
            return 0L;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        if (v.bitLength() > 63) {
            throw new IllegalArgumentException("integer " + v + " does not fit 64 bits");
        }
        return v.longValue();
    }
}
