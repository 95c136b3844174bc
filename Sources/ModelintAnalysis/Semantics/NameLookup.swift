import ModelintSyntax

/// Python's LEGB rule over `Scope`s: local, enclosing functions (class bodies skipped), module; `global` and
/// `nonlocal` declarations redirect. Builtins are the caller's business (a name bound nowhere).
enum NameLookup {
    static func bindingScope(of name: String, from start: Scope) -> Scope? {
        var current: Scope? = start
        var isStart = true
        while let scope = current {
            defer { isStart = false }
            if scope.globals.contains(name) {
                let module = root(of: scope)
                return module.bindings[name] != nil ? module : nil
            }
            if scope.nonlocals.contains(name) || (scope.kind == .classBody && !isStart) {
                current = scope.parent
                continue
            }
            if scope.bindings[name] != nil { return scope }
            current = scope.parent
        }
        return nil
    }

    static func root(of scope: Scope) -> Scope {
        var current = scope
        while let parent = current.parent { current = parent }
        return current
    }

    /// The innermost scope whose body holds `range` (a comprehension's first iterable belongs to its parent).
    /// Siblings are disjoint except that a lambda inside a comprehension's first iterable is a sibling nested in
    /// the comprehension's range; `childReach` (prefix maximum of ends) bounds the backwards scan.
    static func innermostScope(containing range: TextRange, in tables: FileTables) -> Scope {
        var scope = tables.moduleScope
        descend: while true {
            let children = tables.children[scope.index]
            let reach = tables.childReach[scope.index]
            var lo = 0
            var hi = children.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if children[mid].bodyRange.start <= range.start { lo = mid + 1 } else { hi = mid }
            }
            var index = lo - 1
            while index >= 0 && reach[index] >= range.end {
                let child = children[index]
                if child.bodyRange.start <= range.start && range.end <= child.bodyRange.end {
                    let inOuter = child.outerRange.map { $0.start <= range.start && range.end <= $0.end } ?? false
                    if !inOuter {
                        scope = child
                        continue descend
                    }
                }
                index -= 1
            }
            return scope
        }
    }
}
