import type { Attributes, Names } from '@cubemark/format';
import type { DatasetVariable } from '../readers/dataset.js';
import { isStandardName } from './standard-names.js';
import { textAttribute } from './units.js';
import type { WarningLog } from './warnings.js';

/**
 * A cube's names as Iris's `build_and_add_names`: a standard_name not in the CF table becomes the long name when
 * there is none, else an `invalid_standard_name` attribute.
 */
export function cubeNames(variable: DatasetVariable, attributes: Attributes, log: WarningLog): Names {
  const names: Names = {};
  let longName = textAttribute(variable.attributes, 'long_name');
  const standardName = textAttribute(variable.attributes, 'standard_name');
  if (standardName !== undefined) {
    if (isStandardName(standardName)) {
      names.standard_name = standardName.trim();
    } else {
      log.add('CF_INVALID_STANDARD_NAME', `'${standardName}' is not a valid standard_name (netCDF variable '${variable.name}')`, variable.name);
      if (longName === undefined) longName = standardName;
      else attributes.invalid_standard_name = standardName;
    }
  }
  if (longName !== undefined) names.long_name = longName;
  names.var_name = variable.name;
  return names;
}

/**
 * A coordinate's (or cell measure's, ancillary variable's) names as Iris's `get_names`: `coordName` is the
 * standard name the load rules give a recognised latitude, longitude or projection coordinate lacking a valid
 * one; an invalid standard_name is kept as `invalid_standard_name` only when something replaces it; lastly a
 * variable named like a standard name takes it.
 */
export function coordNames(variable: DatasetVariable, coordName: string | undefined, attributes: Attributes, log: WarningLog): Names {
  let standardName: string | undefined = textAttribute(variable.attributes, 'standard_name');
  const longName = textAttribute(variable.attributes, 'long_name');
  if (standardName !== undefined) {
    if (isStandardName(standardName)) {
      standardName = standardName.trim();
    } else {
      log.add('CF_INVALID_STANDARD_NAME', `'${standardName}' is not a valid standard_name (netCDF variable '${variable.name}')`, variable.name);
      if (longName !== undefined || coordName !== undefined) attributes.invalid_standard_name = standardName;
      standardName = coordName;
    }
  } else {
    standardName = coordName;
  }
  if (standardName === undefined && isStandardName(variable.name)) standardName = variable.name;
  const names: Names = {};
  if (standardName !== undefined) names.standard_name = standardName;
  if (longName !== undefined) names.long_name = longName;
  names.var_name = variable.name;
  return names;
}
