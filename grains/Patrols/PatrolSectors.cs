using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace CommandCenter.Patrols;

/// <summary>
/// How much of a grid a patrol went through: the grid's bounding box cut into <c>divisions</c> × <c>divisions</c>
/// cells, of which those at least <see cref="MinimumShare"/> grid are its sectors (at least one: the cell holding most
/// of it). A position inside the grid passes through the sector it lies in, if any.
/// </summary>
public sealed class PatrolSectors
{
    /// <summary>The share of a cell that must be grid for the cell to be a sector (slivers at the edge are not asked for).</summary>
    public const double MinimumShare = 0.25;

    private readonly Envelope _box;
    private readonly int _divisions;
    private readonly bool[] _isSector;
    private readonly IPreparedGeometry _grid;

    public PatrolSectors(Geometry grid, int divisions)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(divisions);
        _grid = PreparedGeometryFactory.Prepare(grid);
        _box = grid.EnvelopeInternal;
        _divisions = divisions;
        _isSector = new bool[divisions * divisions];
        var shares = new double[_isSector.Length];
        for (var i = 0; i < _isSector.Length; i++)
        {
            var cell = grid.Factory.ToGeometry(Cell(i));
            shares[i] = cell.Area > 0 ? grid.Intersection(cell).Area / cell.Area : 1;
            _isSector[i] = shares[i] >= MinimumShare;
        }
        if (!_isSector.Contains(true))
            _isSector[Array.IndexOf(shares, shares.Max())] = true;
        Count = _isSector.Count(s => s);
    }

    /// <summary>How many sectors the grid has.</summary>
    public int Count { get; }

    /// <summary>Whether the point lies inside the grid (its boundary included).</summary>
    public bool Inside(double latitude, double longitude) => _grid.Covers(new Point(longitude, latitude));

    /// <summary>The sector a point inside the grid lies in, or null (outside the grid, or in a cell too small to be a sector).</summary>
    public int? SectorOf(double latitude, double longitude)
    {
        if (!Inside(latitude, longitude))
            return null;
        var column = Index(longitude, _box.MinX, _box.Width);
        var row = Index(latitude, _box.MinY, _box.Height);
        var cell = row * _divisions + column;
        return _isSector[cell] ? cell : null;
    }

    private int Index(double value, double min, double size) =>
        size <= 0 ? 0 : Math.Clamp((int)((value - min) / size * _divisions), 0, _divisions - 1);

    private Envelope Cell(int index)
    {
        var (row, column) = Math.DivRem(index, _divisions);
        var width = _box.Width / _divisions;
        var height = _box.Height / _divisions;
        return new Envelope(_box.MinX + column * width, _box.MinX + (column + 1) * width,
            _box.MinY + row * height, _box.MinY + (row + 1) * height);
    }
}
