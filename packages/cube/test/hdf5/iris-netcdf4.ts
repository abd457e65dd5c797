/** The NetCDF-4 files of iris-test-data (under its `NetCDF/`) that the HDF5 tests read: netCDF-C's v1 B-tree index, deflate and shuffle, contiguous data, UGRID meshes. */
export const IRIS_NETCDF4_FILES = [
  'regrid/regrid_template_global_latlon.nc',
  'mercator/non_unit_scale_factor_merc.nc',
  'lambert_azimuthal_equal_area/euro_air_temp.nc',
  'testing/units.nc',
  'testing/small_theta_colpex.nc',
  'transverse_mercator/projection_origin_attributes.nc',
  'polar/toa_brightness_temperature.nc',
  'unstructured_grid/lfric_ngvat_2D_1t_face_half_levels_main_conv_rain.nc',
  'unstructured_grid/data_C4.nc',
  'unstructured_grid/theta_nodal_xios.nc',
];
