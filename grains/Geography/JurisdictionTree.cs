using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;

namespace CommandCenter.Geography;

/// <summary>
/// The immutable jurisdiction tree of one county: lookups by code, ancestry, and point-in-grid location.
/// All members are thread-safe.
/// </summary>
public sealed class JurisdictionTree
{
    private readonly Dictionary<string, Node> _nodes;
    private readonly STRtree<int> _gridIndex;
    private readonly Grid[] _grids;      // sorted by code (ordinal); index = position
    private readonly Envelope _gridExtent;

    private JurisdictionTree(Jurisdiction root, IReadOnlyList<Jurisdiction> all, Dictionary<string, Node> nodes)
    {
        Root = root;
        All = all;
        _nodes = nodes;

        _grids = all.Where(j => j.Level == JurisdictionLevel.Grid)
            .OrderBy(j => j.Code, StringComparer.Ordinal)
            .Select(j => new Grid(j, (PreparedPolygon)PreparedGeometryFactory.Prepare(j.Geometry)))
            .ToArray();
        _gridIndex = new STRtree<int>(Math.Max(2, Math.Min(10, _grids.Length)));
        _gridExtent = new Envelope();
        for (var i = 0; i < _grids.Length; i++)
        {
            var envelope = _grids[i].Area.Geometry.EnvelopeInternal;
            _gridIndex.Insert(envelope, i);
            _gridExtent.ExpandToInclude(envelope);
        }

        // Build eagerly: STRtree builds itself lazily on first query otherwise.
        _gridIndex.Build();
        foreach (var grid in _grids)
        {
            // Warm the point locators (thread-safe either way; this only moves the cost to start-up).
            _ = grid.Locator.PointLocator.Locate(grid.Area.Geometry.Coordinate);
        }
    }

    /// <summary>The single root (normally the county).</summary>
    public Jurisdiction Root { get; }

    /// <summary>Every area: root first, then breadth-first by depth, within a depth by code (ordinal).</summary>
    public IReadOnlyList<Jurisdiction> All { get; }

    /// <summary>Builds the tree from already validated items.</summary>
    /// <exception cref="ArgumentException">empty input, a null item or geometry, a blank or duplicate code,
    /// zero or several roots, an unknown parent, or a cycle.</exception>
    public static JurisdictionTree Build(IReadOnlyList<Jurisdiction> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            throw new ArgumentException("a jurisdiction tree needs at least one area", nameof(items));
        }

        var nodes = new Dictionary<string, Node>(items.Count, StringComparer.Ordinal);
        Jurisdiction? root = null;
        foreach (var item in items)
        {
            if (item is null)
            {
                throw new ArgumentException("null area in the list", nameof(items));
            }

            if (string.IsNullOrWhiteSpace(item.Code))
            {
                throw new ArgumentException("an area has a blank code", nameof(items));
            }

            if (item.Geometry is not IPolygonal || item.Geometry.IsEmpty)
            {
                throw new ArgumentException($"area {item.Code} has no Polygon or MultiPolygon geometry", nameof(items));
            }

            if (!nodes.TryAdd(item.Code, new Node(item)))
            {
                throw new ArgumentException($"duplicate code {item.Code}", nameof(items));
            }

            if (item.ParentCode is null)
            {
                if (root is not null)
                {
                    throw new ArgumentException($"several roots: {root.Code} and {item.Code}", nameof(items));
                }

                root = item;
            }
        }

        if (root is null)
        {
            throw new ArgumentException("no root: exactly one area must have no parent", nameof(items));
        }

        foreach (var node in nodes.Values)
        {
            var parentCode = node.Item.ParentCode;
            if (parentCode is null)
            {
                continue;
            }

            if (!nodes.TryGetValue(parentCode, out var parent))
            {
                throw new ArgumentException($"area {node.Item.Code} has unknown parent {parentCode}", nameof(items));
            }

            parent.Children.Add(node.Item);
        }

        // Breadth-first from the root: gives depths, paths, and detects cycles / unreachable areas.
        var ordered = new List<Jurisdiction>(items.Count);
        var rootNode = nodes[root.Code];
        rootNode.Path = [root.Code];
        var frontier = new List<Node> { rootNode };
        while (frontier.Count > 0)
        {
            frontier.Sort((a, b) => string.CompareOrdinal(a.Item.Code, b.Item.Code));
            var next = new List<Node>();
            foreach (var node in frontier)
            {
                ordered.Add(node.Item);
                node.Children.Sort((a, b) => string.CompareOrdinal(a.Code, b.Code));
                foreach (var child in node.Children)
                {
                    var childNode = nodes[child.Code];
                    var path = new string[node.Path.Length + 1];
                    path[0] = child.Code;
                    Array.Copy(node.Path, 0, path, 1, node.Path.Length);
                    childNode.Path = path;
                    next.Add(childNode);
                }
            }

            frontier = next;
        }

        if (ordered.Count != nodes.Count)
        {
            var lost = nodes.Values.Where(n => n.Path.Length == 0).Select(n => n.Item.Code).Order(StringComparer.Ordinal).First();
            throw new ArgumentException($"area {lost} is not reachable from the root {root.Code} (cycle)", nameof(items));
        }

        foreach (var node in nodes.Values)
        {
            var interior = InteriorPoint.GetInteriorCoord(node.Item.Geometry);
            node.Center = (interior.Y, interior.X);
            node.ChildrenView = node.Children.AsReadOnly();
            node.PathView = Array.AsReadOnly(node.Path);
        }

        return new JurisdictionTree(root, ordered.AsReadOnly(), nodes);
    }

    /// <summary>The area with this code, or null.</summary>
    public Jurisdiction? Find(string code) =>
        code is not null && _nodes.TryGetValue(code, out var node) ? node.Item : null;

    /// <summary>An area's name as pages show it; the code itself for a code not in the tree.</summary>
    public string NameOf(string code) => Find(code)?.Name ?? code;

    /// <summary>The direct children of an area, by code; empty for a leaf or an unknown code.</summary>
    public IReadOnlyList<Jurisdiction> ChildrenOf(string code) =>
        code is not null && _nodes.TryGetValue(code, out var node) ? node.ChildrenView : [];

    /// <summary>The areas of <paramref name="level"/> at or below <paramref name="code"/> (the area itself when it is of that level), in tree order.</summary>
    public IReadOnlyList<Jurisdiction> Within(string code, JurisdictionLevel level) =>
        All.Where(j => j.Level == level && IsWithin(j.Code, code)).ToList();

    /// <summary>[code, parent, ..., root code].</summary>
    /// <exception cref="KeyNotFoundException">unknown code.</exception>
    public IReadOnlyList<string> PathToRoot(string code) => GetNode(code).PathView;

    /// <summary>True if <paramref name="ancestorOrSelfCode"/> is <paramref name="code"/> or one of its ancestors;
    /// false when either code is unknown.</summary>
    public bool IsWithin(string code, string ancestorOrSelfCode)
    {
        if (code is null || ancestorOrSelfCode is null || !_nodes.TryGetValue(code, out var node) || !_nodes.ContainsKey(ancestorOrSelfCode))
        {
            return false;
        }

        foreach (var c in node.Path)
        {
            if (string.Equals(c, ancestorOrSelfCode, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The grid-level area containing the point, or null outside every grid. A point on a shared boundary
    /// resolves to the grid with the smallest code among those touching it.
    /// </summary>
    public Jurisdiction? LocateGrid(double latitude, double longitude)
    {
        if (double.IsNaN(latitude) || double.IsNaN(longitude) || !_gridExtent.Intersects(longitude, latitude))
        {
            return null;
        }

        var point = new Coordinate(longitude, latitude);
        var candidates = _gridIndex.Query(new Envelope(point));
        var best = int.MaxValue;
        for (var k = 0; k < candidates.Count; k++)
        {
            var i = candidates[k];
            if (i >= best)
            {
                continue;
            }

            var location = _grids[i].Locator.PointLocator.Locate(point);
            if (location == Location.Interior)
            {
                // Interior points of a tiling belong to exactly one grid.
                return _grids[i].Area;
            }

            if (location == Location.Boundary)
            {
                best = i;
            }
        }

        return best == int.MaxValue ? null : _grids[best].Area;
    }

    /// <summary>A point inside the area (NTS interior point), for labels and map centring.</summary>
    /// <exception cref="KeyNotFoundException">unknown code.</exception>
    public (double Latitude, double Longitude) CenterOf(string code) => GetNode(code).Center;

    private Node GetNode(string code) =>
        code is not null && _nodes.TryGetValue(code, out var node)
            ? node
            : throw new KeyNotFoundException($"unknown jurisdiction code '{code}'");

    // Mutated only inside Build, before the tree is published; read-only afterwards.
    private sealed class Node(Jurisdiction item)
    {
        public Jurisdiction Item { get; } = item;

        public List<Jurisdiction> Children { get; } = [];

        public string[] Path { get; set; } = [];

        public (double Latitude, double Longitude) Center { get; set; }

        public IReadOnlyList<Jurisdiction> ChildrenView { get; set; } = [];

        public IReadOnlyList<string> PathView { get; set; } = [];
    }

    private sealed record Grid(Jurisdiction Area, PreparedPolygon Locator);
}
