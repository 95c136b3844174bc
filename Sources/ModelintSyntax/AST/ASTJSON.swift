/// Serialises a module to JSON shaped like CPython 3.12's `ast`: one object per node with `"_type"`,
/// every field in `_fields` order, then `lineno`/`col_offset`/`end_lineno`/`end_col_offset` on the
/// classes that carry them. `Tests/oracles/ast_differential.py` builds the same shape from `ast.parse`
/// and compares, so any change here must be mirrored there.
///
/// The walk is iterative (an explicit work stack), so dumping never adds recursion depth of its own,
/// and it appends bytes to one buffer instead of building strings.
public enum ASTJSON {
    public enum Style: Sendable {
        /// One line, no spaces.
        case compact
        /// Two-space indentation, one field per line.
        case indented
    }

    /// The JSON text (UTF-8, ending in a newline) of `module`, with positions resolved in `source`.
    public static func encode(_ module: Module, in source: SourceBuffer, style: Style = .indented) -> [UInt8] {
        var writer = ASTJSONWriter(source: source, indented: style == .indented)
        writer.writeModule(module)
        return writer.out
    }
}

/// A unit of pending output. Node cases expand into further items; the rest write text directly.
private enum PendingItem {
    case key(StaticString)
    case text(StaticString)
    case closeObject
    case closeList
    /// Separator before a list element: a comma unless it is the first, then a line break.
    case listElement(first: Bool)
    case end(TextRange)
    case typeOnly(String)
    case int(Int)
    case identifier(Identifier?)
    case identifiers([Identifier])
    case compareOps([CompareOperator])
    case expr(Expr)
    case optionalExpr(Expr?)
    case stmt(Stmt)
    case pattern(Pattern)
    case optionalPattern(Pattern?)
    case exprs([Expr])
    case optionalExprs([Expr?])
    case stmts([Stmt])
    case patterns([Pattern])
    case keyword(Keyword)
    case keywords([Keyword])
    case comprehension(Comprehension)
    case comprehensions([Comprehension])
    case withItem(WithItem)
    case withItems([WithItem])
    case handler(ExceptHandler)
    case handlers([ExceptHandler])
    case matchCase(MatchCase)
    case matchCases([MatchCase])
    case typeParam(TypeParam)
    case typeParams([TypeParam])
    case arg(Arg)
    case optionalArg(Arg?)
    case args([Arg])
    case arguments(Arguments)
}

private struct ASTJSONWriter {
    let source: SourceBuffer
    let indented: Bool
    var out: [UInt8] = []
    private var pending: [PendingItem] = []
    private var depth = 0

    init(source: SourceBuffer, indented: Bool) {
        self.source = source
        self.indented = indented
        out.reserveCapacity(source.count * (indented ? 24 : 8))
    }

    mutating func writeModule(_ module: Module) {
        open("Module")
        schedule { w in
            w.append(.key("body"))
            w.append(.stmts(module.body))
            w.append(.key("type_ignores"))
            w.append(.text("[]"))
            w.append(.closeObject)
        }
        drain()
        out.append(0x0A)
    }

    // MARK: - Work stack

    /// Pushes items so that they are written in the order `build` appends them.
    private mutating func schedule(_ build: (inout [PendingItem]) -> Void) {
        let mark = pending.count
        build(&pending)
        pending[mark...].reverse()
    }

    private mutating func drain() {
        while let item = pending.popLast() {
            write(item)
        }
    }

    private mutating func write(_ item: PendingItem) {
        switch item {
        case .key(let name): key(name)
        case .text(let text): raw(text)
        case .closeObject: closeObject()
        case .closeList:
            depth -= 1
            lineBreak()
            out.append(UInt8(ascii: "]"))
        case .listElement(let first):
            if !first { out.append(UInt8(ascii: ",")) }
            lineBreak()
        case .end(let range): end(range)
        case .typeOnly(let name): typeOnly(name)
        case .int(let value): integer(value)
        case .identifier(let identifier): optionalIdentifier(identifier)
        case .identifiers(let names): identifierList(names)
        case .compareOps(let ops):
            out.append(UInt8(ascii: "["))
            for (i, op) in ops.enumerated() {
                if i > 0 { separator() }
                typeOnly(op.rawValue)
            }
            out.append(UInt8(ascii: "]"))
        case .expr(let expr): writeExpr(expr)
        case .optionalExpr(let expr):
            if let expr { writeExpr(expr) } else { raw("null") }
        case .stmt(let stmt): writeStmt(stmt)
        case .pattern(let pattern): writePattern(pattern)
        case .optionalPattern(let pattern):
            if let pattern { writePattern(pattern) } else { raw("null") }
        case .exprs(let list): list.isEmpty ? raw("[]") : openList(list.count) { .expr(list[$0]) }
        case .optionalExprs(let list): list.isEmpty ? raw("[]") : openList(list.count) { .optionalExpr(list[$0]) }
        case .stmts(let list): list.isEmpty ? raw("[]") : openList(list.count) { .stmt(list[$0]) }
        case .patterns(let list): list.isEmpty ? raw("[]") : openList(list.count) { .pattern(list[$0]) }
        case .keywords(let list): list.isEmpty ? raw("[]") : openList(list.count) { .keyword(list[$0]) }
        case .comprehensions(let list):
            list.isEmpty ? raw("[]") : openList(list.count) { .comprehension(list[$0]) }
        case .withItems(let list): list.isEmpty ? raw("[]") : openList(list.count) { .withItem(list[$0]) }
        case .handlers(let list): list.isEmpty ? raw("[]") : openList(list.count) { .handler(list[$0]) }
        case .matchCases(let list): list.isEmpty ? raw("[]") : openList(list.count) { .matchCase(list[$0]) }
        case .typeParams(let list): list.isEmpty ? raw("[]") : openList(list.count) { .typeParam(list[$0]) }
        case .args(let list): list.isEmpty ? raw("[]") : openList(list.count) { .arg(list[$0]) }
        case .keyword(let keyword):
            open("keyword")
            key("arg")
            optionalIdentifier(keyword.arg)
            schedule { w in
                w.append(.key("value")); w.append(.expr(keyword.value))
                w.append(.end(keyword.range))
            }
        case .comprehension(let comprehension):
            open("comprehension")
            schedule { w in
                w.append(.key("target")); w.append(.expr(comprehension.target))
                w.append(.key("iter")); w.append(.expr(comprehension.iter))
                w.append(.key("ifs")); w.append(.exprs(comprehension.ifs))
                w.append(.key("is_async")); w.append(.int(comprehension.isAsync ? 1 : 0))
                w.append(.closeObject)
            }
        case .withItem(let item):
            open("withitem")
            schedule { w in
                w.append(.key("context_expr")); w.append(.expr(item.contextExpr))
                w.append(.key("optional_vars")); w.append(.optionalExpr(item.optionalVars))
                w.append(.closeObject)
            }
        case .handler(let handler):
            open("ExceptHandler")
            schedule { w in
                w.append(.key("type")); w.append(.optionalExpr(handler.type))
                w.append(.key("name")); w.append(.identifier(handler.name))
                w.append(.key("body")); w.append(.stmts(handler.body))
                w.append(.end(handler.range))
            }
        case .matchCase(let matchCase):
            open("match_case")
            schedule { w in
                w.append(.key("pattern")); w.append(.pattern(matchCase.pattern))
                w.append(.key("guard")); w.append(.optionalExpr(matchCase.guard_))
                w.append(.key("body")); w.append(.stmts(matchCase.body))
                w.append(.closeObject)
            }
        case .typeParam(let param):
            switch param.kind {
            case .typeVar(let bound):
                open("TypeVar")
                key("name"); identifier(param.name)
                schedule { w in
                    w.append(.key("bound")); w.append(.optionalExpr(bound))
                    w.append(.end(param.range))
                }
            case .paramSpec:
                open("ParamSpec")
                key("name"); identifier(param.name)
                end(param.range)
            case .typeVarTuple:
                open("TypeVarTuple")
                key("name"); identifier(param.name)
                end(param.range)
            }
        case .arg(let arg):
            open("arg")
            key("arg"); identifier(arg.arg)
            schedule { w in
                w.append(.key("annotation")); w.append(.optionalExpr(arg.annotation))
                w.append(.key("type_comment")); w.append(.text("null"))
                w.append(.end(arg.range))
            }
        case .optionalArg(let arg):
            if let arg { write(.arg(arg)) } else { raw("null") }
        case .arguments(let arguments):
            open("arguments")
            schedule { w in
                w.append(.key("posonlyargs")); w.append(.args(arguments.posonlyargs))
                w.append(.key("args")); w.append(.args(arguments.args))
                w.append(.key("vararg")); w.append(.optionalArg(arguments.vararg))
                w.append(.key("kwonlyargs")); w.append(.args(arguments.kwonlyargs))
                w.append(.key("kw_defaults")); w.append(.optionalExprs(arguments.kwDefaults))
                w.append(.key("kwarg")); w.append(.optionalArg(arguments.kwarg))
                w.append(.key("defaults")); w.append(.exprs(arguments.defaults))
                w.append(.closeObject)
            }
        }
    }

    /// Opens a list of `count` elements; `element(i)` makes the item for element i.
    private mutating func openList(_ count: Int, _ element: (Int) -> PendingItem) {
        out.append(UInt8(ascii: "["))
        depth += 1
        schedule { w in
            for i in 0..<count {
                w.append(.listElement(first: i == 0))
                w.append(element(i))
            }
            w.append(.closeList)
        }
    }

    // MARK: - Statements

    private mutating func writeStmt(_ stmt: Stmt) {
        let range = stmt.range
        switch stmt.kind {
        case .functionDef(let def), .asyncFunctionDef(let def):
            if case .functionDef = stmt.kind { open("FunctionDef") } else { open("AsyncFunctionDef") }
            key("name"); identifier(def.name)
            schedule { w in
                w.append(.key("args")); w.append(.arguments(def.args))
                w.append(.key("body")); w.append(.stmts(def.body))
                w.append(.key("decorator_list")); w.append(.exprs(def.decoratorList))
                w.append(.key("returns")); w.append(.optionalExpr(def.returns))
                w.append(.key("type_comment")); w.append(.text("null"))
                w.append(.key("type_params")); w.append(.typeParams(def.typeParams))
                w.append(.end(range))
            }
        case .classDef(let def):
            open("ClassDef")
            key("name"); identifier(def.name)
            schedule { w in
                w.append(.key("bases")); w.append(.exprs(def.bases))
                w.append(.key("keywords")); w.append(.keywords(def.keywords))
                w.append(.key("body")); w.append(.stmts(def.body))
                w.append(.key("decorator_list")); w.append(.exprs(def.decoratorList))
                w.append(.key("type_params")); w.append(.typeParams(def.typeParams))
                w.append(.end(range))
            }
        case .return(let value):
            open("Return")
            schedule { w in
                w.append(.key("value")); w.append(.optionalExpr(value))
                w.append(.end(range))
            }
        case .delete(let targets):
            open("Delete")
            schedule { w in
                w.append(.key("targets")); w.append(.exprs(targets))
                w.append(.end(range))
            }
        case .assign(let targets, let value):
            open("Assign")
            schedule { w in
                w.append(.key("targets")); w.append(.exprs(targets))
                w.append(.key("value")); w.append(.expr(value))
                w.append(.key("type_comment")); w.append(.text("null"))
                w.append(.end(range))
            }
        case .typeAlias(let name, let typeParams, let value):
            open("TypeAlias")
            schedule { w in
                w.append(.key("name")); w.append(.expr(name))
                w.append(.key("type_params")); w.append(.typeParams(typeParams))
                w.append(.key("value")); w.append(.expr(value))
                w.append(.end(range))
            }
        case .augAssign(let target, let op, let value):
            open("AugAssign")
            schedule { w in
                w.append(.key("target")); w.append(.expr(target))
                w.append(.key("op")); w.append(.typeOnly(op.rawValue))
                w.append(.key("value")); w.append(.expr(value))
                w.append(.end(range))
            }
        case .annAssign(let target, let annotation, let value, let simple):
            open("AnnAssign")
            schedule { w in
                w.append(.key("target")); w.append(.expr(target))
                w.append(.key("annotation")); w.append(.expr(annotation))
                w.append(.key("value")); w.append(.optionalExpr(value))
                w.append(.key("simple")); w.append(.int(simple ? 1 : 0))
                w.append(.end(range))
            }
        case .for(let target, let iter, let body, let orelse), .asyncFor(let target, let iter, let body, let orelse):
            if case .for = stmt.kind { open("For") } else { open("AsyncFor") }
            schedule { w in
                w.append(.key("target")); w.append(.expr(target))
                w.append(.key("iter")); w.append(.expr(iter))
                w.append(.key("body")); w.append(.stmts(body))
                w.append(.key("orelse")); w.append(.stmts(orelse))
                w.append(.key("type_comment")); w.append(.text("null"))
                w.append(.end(range))
            }
        case .while(let test, let body, let orelse), .if(let test, let body, let orelse):
            if case .while = stmt.kind { open("While") } else { open("If") }
            schedule { w in
                w.append(.key("test")); w.append(.expr(test))
                w.append(.key("body")); w.append(.stmts(body))
                w.append(.key("orelse")); w.append(.stmts(orelse))
                w.append(.end(range))
            }
        case .with(let items, let body), .asyncWith(let items, let body):
            if case .with = stmt.kind { open("With") } else { open("AsyncWith") }
            schedule { w in
                w.append(.key("items")); w.append(.withItems(items))
                w.append(.key("body")); w.append(.stmts(body))
                w.append(.key("type_comment")); w.append(.text("null"))
                w.append(.end(range))
            }
        case .match(let subject, let cases):
            open("Match")
            schedule { w in
                w.append(.key("subject")); w.append(.expr(subject))
                w.append(.key("cases")); w.append(.matchCases(cases))
                w.append(.end(range))
            }
        case .raise(let exc, let cause):
            open("Raise")
            schedule { w in
                w.append(.key("exc")); w.append(.optionalExpr(exc))
                w.append(.key("cause")); w.append(.optionalExpr(cause))
                w.append(.end(range))
            }
        case .try(let body, let handlers, let orelse, let finalbody),
             .tryStar(let body, let handlers, let orelse, let finalbody):
            if case .try = stmt.kind { open("Try") } else { open("TryStar") }
            schedule { w in
                w.append(.key("body")); w.append(.stmts(body))
                w.append(.key("handlers")); w.append(.handlers(handlers))
                w.append(.key("orelse")); w.append(.stmts(orelse))
                w.append(.key("finalbody")); w.append(.stmts(finalbody))
                w.append(.end(range))
            }
        case .assert(let test, let msg):
            open("Assert")
            schedule { w in
                w.append(.key("test")); w.append(.expr(test))
                w.append(.key("msg")); w.append(.optionalExpr(msg))
                w.append(.end(range))
            }
        case .import(let names):
            open("Import")
            key("names"); aliasList(names)
            end(range)
        case .importFrom(let module, let names, let level):
            open("ImportFrom")
            key("module"); optionalIdentifier(module)
            key("names"); aliasList(names)
            key("level"); integer(level)
            end(range)
        case .global(let names):
            open("Global")
            key("names"); identifierList(names)
            end(range)
        case .nonlocal(let names):
            open("Nonlocal")
            key("names"); identifierList(names)
            end(range)
        case .expr(let value):
            open("Expr")
            schedule { w in
                w.append(.key("value")); w.append(.expr(value))
                w.append(.end(range))
            }
        case .pass:
            open("Pass"); end(range)
        case .break:
            open("Break"); end(range)
        case .continue:
            open("Continue"); end(range)
        }
    }

    // MARK: - Expressions

    private mutating func writeExpr(_ expr: Expr) {
        let range = expr.range
        switch expr.kind {
        case .boolOp(let op, let values):
            open("BoolOp")
            key("op"); typeOnly(op.rawValue)
            schedule { w in
                w.append(.key("values")); w.append(.exprs(values))
                w.append(.end(range))
            }
        case .namedExpr(let target, let value):
            open("NamedExpr")
            schedule { w in
                w.append(.key("target")); w.append(.expr(target))
                w.append(.key("value")); w.append(.expr(value))
                w.append(.end(range))
            }
        case .binOp(let left, let op, let right):
            open("BinOp")
            schedule { w in
                w.append(.key("left")); w.append(.expr(left))
                w.append(.key("op")); w.append(.typeOnly(op.rawValue))
                w.append(.key("right")); w.append(.expr(right))
                w.append(.end(range))
            }
        case .unaryOp(let op, let operand):
            open("UnaryOp")
            key("op"); typeOnly(op.rawValue)
            schedule { w in
                w.append(.key("operand")); w.append(.expr(operand))
                w.append(.end(range))
            }
        case .lambda(let args, let body):
            open("Lambda")
            schedule { w in
                w.append(.key("args")); w.append(.arguments(args))
                w.append(.key("body")); w.append(.expr(body))
                w.append(.end(range))
            }
        case .ifExp(let test, let body, let orelse):
            open("IfExp")
            schedule { w in
                w.append(.key("test")); w.append(.expr(test))
                w.append(.key("body")); w.append(.expr(body))
                w.append(.key("orelse")); w.append(.expr(orelse))
                w.append(.end(range))
            }
        case .dict(let keys, let values):
            open("Dict")
            schedule { w in
                w.append(.key("keys")); w.append(.optionalExprs(keys))
                w.append(.key("values")); w.append(.exprs(values))
                w.append(.end(range))
            }
        case .set(let elts):
            open("Set")
            schedule { w in
                w.append(.key("elts")); w.append(.exprs(elts))
                w.append(.end(range))
            }
        case .listComp(let elt, let generators), .setComp(let elt, let generators),
             .generatorExp(let elt, let generators):
            switch expr.kind {
            case .listComp: open("ListComp")
            case .setComp: open("SetComp")
            default: open("GeneratorExp")
            }
            schedule { w in
                w.append(.key("elt")); w.append(.expr(elt))
                w.append(.key("generators")); w.append(.comprehensions(generators))
                w.append(.end(range))
            }
        case .dictComp(let key, let value, let generators):
            open("DictComp")
            schedule { w in
                w.append(.key("key")); w.append(.expr(key))
                w.append(.key("value")); w.append(.expr(value))
                w.append(.key("generators")); w.append(.comprehensions(generators))
                w.append(.end(range))
            }
        case .await(let value), .yieldFrom(let value):
            if case .await = expr.kind { open("Await") } else { open("YieldFrom") }
            schedule { w in
                w.append(.key("value")); w.append(.expr(value))
                w.append(.end(range))
            }
        case .yield(let value):
            open("Yield")
            schedule { w in
                w.append(.key("value")); w.append(.optionalExpr(value))
                w.append(.end(range))
            }
        case .compare(let left, let ops, let comparators):
            open("Compare")
            schedule { w in
                w.append(.key("left")); w.append(.expr(left))
                w.append(.key("ops")); w.append(.compareOps(ops))
                w.append(.key("comparators")); w.append(.exprs(comparators))
                w.append(.end(range))
            }
        case .call(let function, let args, let keywords):
            open("Call")
            schedule { w in
                w.append(.key("func")); w.append(.expr(function))
                w.append(.key("args")); w.append(.exprs(args))
                w.append(.key("keywords")); w.append(.keywords(keywords))
                w.append(.end(range))
            }
        case .formattedValue(let value, let conversion, let formatSpec):
            open("FormattedValue")
            schedule { w in
                w.append(.key("value")); w.append(.expr(value))
                w.append(.key("conversion")); w.append(.int(conversion))
                w.append(.key("format_spec")); w.append(.optionalExpr(formatSpec))
                w.append(.end(range))
            }
        case .joinedStr(let values):
            open("JoinedStr")
            schedule { w in
                w.append(.key("values")); w.append(.exprs(values))
                w.append(.end(range))
            }
        case .constant(let value, let kind):
            open("Constant")
            key("value"); constant(value)
            key("kind")
            if let kind { string(kind.rawValue) } else { raw("null") }
            end(range)
        case .attribute(let value, let attr, let ctx):
            open("Attribute")
            schedule { w in
                w.append(.key("value")); w.append(.expr(value))
                w.append(.key("attr")); w.append(.identifier(attr))
                w.append(.key("ctx")); w.append(.typeOnly(ctx.rawValue))
                w.append(.end(range))
            }
        case .subscript(let value, let slice, let ctx):
            open("Subscript")
            schedule { w in
                w.append(.key("value")); w.append(.expr(value))
                w.append(.key("slice")); w.append(.expr(slice))
                w.append(.key("ctx")); w.append(.typeOnly(ctx.rawValue))
                w.append(.end(range))
            }
        case .starred(let value, let ctx):
            open("Starred")
            schedule { w in
                w.append(.key("value")); w.append(.expr(value))
                w.append(.key("ctx")); w.append(.typeOnly(ctx.rawValue))
                w.append(.end(range))
            }
        case .name(let id, let ctx):
            open("Name")
            key("id"); identifier(id)
            key("ctx"); typeOnly(ctx.rawValue)
            end(range)
        case .list(let elts, let ctx), .tuple(let elts, let ctx):
            if case .list = expr.kind { open("List") } else { open("Tuple") }
            schedule { w in
                w.append(.key("elts")); w.append(.exprs(elts))
                w.append(.key("ctx")); w.append(.typeOnly(ctx.rawValue))
                w.append(.end(range))
            }
        case .slice(let lower, let upper, let step):
            open("Slice")
            schedule { w in
                w.append(.key("lower")); w.append(.optionalExpr(lower))
                w.append(.key("upper")); w.append(.optionalExpr(upper))
                w.append(.key("step")); w.append(.optionalExpr(step))
                w.append(.end(range))
            }
        }
    }

    // MARK: - Patterns

    private mutating func writePattern(_ pattern: Pattern) {
        let range = pattern.range
        switch pattern.kind {
        case .matchValue(let value):
            open("MatchValue")
            schedule { w in
                w.append(.key("value")); w.append(.expr(value))
                w.append(.end(range))
            }
        case .matchSingleton(let value):
            open("MatchSingleton")
            key("value"); constant(value)
            end(range)
        case .matchSequence(let patterns):
            open("MatchSequence")
            schedule { w in
                w.append(.key("patterns")); w.append(.patterns(patterns))
                w.append(.end(range))
            }
        case .matchMapping(let keys, let patterns, let rest):
            open("MatchMapping")
            schedule { w in
                w.append(.key("keys")); w.append(.exprs(keys))
                w.append(.key("patterns")); w.append(.patterns(patterns))
                w.append(.key("rest")); w.append(.identifier(rest))
                w.append(.end(range))
            }
        case .matchClass(let cls, let patterns, let kwdAttrs, let kwdPatterns):
            open("MatchClass")
            schedule { w in
                w.append(.key("cls")); w.append(.expr(cls))
                w.append(.key("patterns")); w.append(.patterns(patterns))
                w.append(.key("kwd_attrs")); w.append(.identifiers(kwdAttrs))
                w.append(.key("kwd_patterns")); w.append(.patterns(kwdPatterns))
                w.append(.end(range))
            }
        case .matchStar(let name):
            open("MatchStar")
            key("name"); optionalIdentifier(name)
            end(range)
        case .matchAs(let inner, let name):
            open("MatchAs")
            schedule { w in
                w.append(.key("pattern")); w.append(.optionalPattern(inner))
                w.append(.key("name")); w.append(.identifier(name))
                w.append(.end(range))
            }
        case .matchOr(let patterns):
            open("MatchOr")
            schedule { w in
                w.append(.key("patterns")); w.append(.patterns(patterns))
                w.append(.end(range))
            }
        }
    }

    // MARK: - Text

    private mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    private mutating func lineBreak() {
        guard indented else { return }
        out.append(0x0A)
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }

    /// Between inline list elements (compare ops, names).
    private mutating func separator() {
        out.append(UInt8(ascii: ","))
        if indented { out.append(UInt8(ascii: " ")) }
    }

    private mutating func open(_ type: StaticString) {
        out.append(UInt8(ascii: "{"))
        depth += 1
        lineBreak()
        raw("\"_type\":")
        if indented { out.append(UInt8(ascii: " ")) }
        out.append(UInt8(ascii: "\""))
        raw(type)
        out.append(UInt8(ascii: "\""))
    }

    private mutating func closeObject() {
        depth -= 1
        lineBreak()
        out.append(UInt8(ascii: "}"))
    }

    /// `,"name":` — every key follows `_type`, so each is preceded by a comma.
    private mutating func key(_ name: StaticString) {
        out.append(UInt8(ascii: ","))
        lineBreak()
        out.append(UInt8(ascii: "\""))
        raw(name)
        raw("\":")
        if indented { out.append(UInt8(ascii: " ")) }
    }

    /// Context and operator objects, written inline: `{"_type": "Load"}`.
    private mutating func typeOnly(_ name: String) {
        raw("{\"_type\":")
        if indented { out.append(UInt8(ascii: " ")) }
        string(name)
        out.append(UInt8(ascii: "}"))
    }

    private mutating func end(_ range: TextRange) {
        let start = source.location(range.start)
        let stop = source.location(range.end)
        key("lineno"); integer(start.line)
        key("col_offset"); integer(start.column)
        key("end_lineno"); integer(stop.line)
        key("end_col_offset"); integer(stop.column)
        closeObject()
    }

    private mutating func integer(_ value: Int) {
        if value < 0 {
            out.append(UInt8(ascii: "-"))
        }
        var magnitude = value.magnitude
        let start = out.count
        repeat {
            out.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        out[start...].reverse()
    }

    private mutating func identifier(_ identifier: Identifier) { string(identifier.text) }

    private mutating func optionalIdentifier(_ identifier: Identifier?) {
        if let identifier { string(identifier.text) } else { raw("null") }
    }

    private mutating func identifierList(_ names: [Identifier]) {
        out.append(UInt8(ascii: "["))
        for (i, name) in names.enumerated() {
            if i > 0 { separator() }
            string(name.text)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// `alias` nodes have no child nodes, so they are written inline.
    private mutating func aliasList(_ aliases: [Alias]) {
        if aliases.isEmpty { raw("[]"); return }
        out.append(UInt8(ascii: "["))
        depth += 1
        for (i, alias) in aliases.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            lineBreak()
            open("alias")
            key("name"); identifier(alias.name)
            key("asname"); optionalIdentifier(alias.asname)
            end(alias.range)
        }
        depth -= 1
        lineBreak()
        out.append(UInt8(ascii: "]"))
    }

    private mutating func string(_ text: String) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            for byte in bytes { escapedByte(byte) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// One byte of a UTF-8 string body; only quote, backslash and C0 controls need escaping.
    private mutating func escapedByte(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): raw("\\\"")
        case UInt8(ascii: "\\"): raw("\\\\")
        case 0x0A: raw("\\n")
        case 0x0D: raw("\\r")
        case 0x09: raw("\\t")
        case 0..<0x20: unicodeEscape(UInt32(byte))
        default: out.append(byte)
        }
    }

    private mutating func unicodeEscape(_ unit: UInt32) {
        raw("\\u")
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(hexDigit(UInt8((unit >> UInt32(shift)) & 0xF)))
        }
    }

    private func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    private mutating func pyString(_ value: PyString) {
        switch value {
        case .text(let text):
            string(text)
        case .codePoints(let codePoints):
            // Lone surrogates cannot be UTF-8; JSON's `\udXXX` escape carries them (Python's json reads it back).
            out.append(UInt8(ascii: "\""))
            for codePoint in codePoints {
                if (0xD800...0xDFFF).contains(codePoint) {
                    unicodeEscape(codePoint)
                } else if codePoint < 0x80 {
                    escapedByte(UInt8(codePoint))
                } else if let scalar = Unicode.Scalar(codePoint) {
                    out.append(contentsOf: UTF8.encode(scalar)!)
                }
            }
            out.append(UInt8(ascii: "\""))
        }
    }

    private mutating func constant(_ value: ConstantValue) {
        switch value {
        case .none: raw("null")
        case .bool(let flag): flag ? raw("true") : raw("false")
        case .ellipsis:
            raw("{\"ellipsis\":")
            if indented { out.append(UInt8(ascii: " ")) }
            raw("true}")
        case .int(let value):
            // Beyond 2^53 a JSON reader may round through a double, so large ints travel as text.
            if value.magnitude < (1 << 53) {
                integer(Int(value))
            } else {
                wrapped("int") { $0.string(String(value)) }
            }
        case .bigInt(let literal):
            wrapped("int") { $0.string(literal.decimalDigits) }
        case .float(let value):
            float(value)
        case .complex(let real, let imag):
            wrapped("complex") { w in
                w.out.append(UInt8(ascii: "["))
                w.float(real)
                w.separator()
                w.float(imag)
                w.out.append(UInt8(ascii: "]"))
            }
        case .string(let text):
            pyString(text)
        case .bytes(let bytes):
            wrapped("bytes") { w in
                w.out.append(UInt8(ascii: "\""))
                for byte in bytes {
                    w.out.append(w.hexDigit(byte >> 4))
                    w.out.append(w.hexDigit(byte & 0xF))
                }
                w.out.append(UInt8(ascii: "\""))
            }
        }
    }

    /// `{"tag": <body>}` for values JSON has no native form for.
    private mutating func wrapped(_ tag: StaticString, _ body: (inout ASTJSONWriter) -> Void) {
        out.append(UInt8(ascii: "{"))
        out.append(UInt8(ascii: "\""))
        raw(tag)
        raw("\":")
        if indented { out.append(UInt8(ascii: " ")) }
        body(&self)
        out.append(UInt8(ascii: "}"))
    }

    private mutating func float(_ value: Double) {
        if value.isNaN {
            wrapped("float") { $0.string("nan") }
        } else if value.isInfinite {
            wrapped("float") { $0.string(value < 0 ? "-inf" : "inf") }
        } else {
            // Swift's description is the shortest text that round-trips; make sure it reads back as a float.
            let text = value.description.utf8
            out.append(contentsOf: text)
            if !text.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") }) {
                raw(".0")
            }
        }
    }
}
